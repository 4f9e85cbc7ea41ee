import { z } from "zod";
import type { Retriever } from "../types.js";
import { Bm25SettingsSchema, createBm25Retriever, type Bm25Settings } from "./bm25.js";

/**
 * The retrievers a simulation can rank its stores with, keyed by `kind`. Each kind's settings
 * schema lives beside its implementation; the implementation is loaded only when a simulation runs.
 */
export const RetrieverSettingsSchema = z.discriminatedUnion("kind", [Bm25SettingsSchema]);

export type RetrieverSettings = z.infer<typeof RetrieverSettingsSchema>;

/** The default: the embedded BM25 retriever, no server and no key. */
export const DEFAULT_RETRIEVER: Bm25Settings = Bm25SettingsSchema.parse({ kind: "bm25" });

/** Where a retriever's own files are resolved, and what it may report as it works. */
export interface RetrieverContext {
  /** The bench file's folder. */
  baseDir: string;
  env: NodeJS.ProcessEnv;
}

const REGISTRY: { [K in RetrieverSettings["kind"]]: (settings: Extract<RetrieverSettings, { kind: K }>, context: RetrieverContext) => Promise<Retriever> } = {
  bm25: (settings) => createBm25Retriever(settings),
};

export async function createRetriever(settings: RetrieverSettings, context: RetrieverContext): Promise<Retriever> {
  const make = REGISTRY[settings.kind] as (settings: RetrieverSettings, context: RetrieverContext) => Promise<Retriever>;
  return make(settings, context);
}
