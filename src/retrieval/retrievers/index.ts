import type { ModelRuntime } from "../../providers/model-runtime.js";
import type { Retriever } from "../../schema/retrieval-store.js";
import { DEFAULT_RETRIEVER, RetrieverSettingsSchema, type RetrieverSettings } from "../../schema/retrieval-settings.js";

export { DEFAULT_RETRIEVER, RetrieverSettingsSchema, type RetrieverSettings };

/** What a retriever may need from the run: where its files are, its environment, the run's model runtime. */
export interface RetrieverContext {
  /** The bench file, when there is one: a `command` retriever's `cwd` is relative to its folder. */
  benchFile?: string;
  /** The bench file's folder (the working folder without one). */
  baseDir: string;
  env: NodeJS.ProcessEnv;
  /** The run's answer cache, limits, prices and cost budget, when the run calls models. */
  models?: ModelRuntime;
}

type Factories = {
  [K in RetrieverSettings["kind"]]: (
    settings: Extract<RetrieverSettings, { kind: K }>,
    context: RetrieverContext,
  ) => Promise<Retriever>;
};

/** One row per kind: forgetting one is a type error. Each implementation is loaded only when a simulation uses it. */
const REGISTRY: Factories = {
  bm25: async (settings) => (await import("./bm25.js")).createBm25Retriever(settings),
  embeddings: async (settings, context) => {
    const [{ createEmbeddingsRetriever }, bm25] = await Promise.all([
      import("./embeddings.js"),
      settings.fuse_bm25 === undefined
        ? undefined
        : import("./bm25.js").then((m) => m.createBm25Retriever(DEFAULT_RETRIEVER)),
    ]);
    return createEmbeddingsRetriever(settings, {
      env: context.env,
      ...(context.models ? { runtime: context.models } : {}),
      ...(bm25 ? { bm25 } : {}),
    });
  },
  command: async (settings, context) =>
    (await import("./command.js")).createCommandRetriever(settings, {
      baseDir: context.baseDir,
      ...(context.benchFile ? { configPath: context.benchFile } : {}),
      at: ["retrieval", "retriever"],
    }),
  http: async (settings, context) => (await import("./http.js")).createHttpRetriever(settings, { env: context.env }),
};

export async function createRetriever(settings: RetrieverSettings, context: RetrieverContext): Promise<Retriever> {
  const make = REGISTRY[settings.kind] as (
    settings: RetrieverSettings,
    context: RetrieverContext,
  ) => Promise<Retriever>;
  return make(settings, context);
}
