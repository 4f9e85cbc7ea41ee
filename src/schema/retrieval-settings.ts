import { z } from "zod";
import {
  CommandRetrieverSettingsSchema,
  EmbeddingsRetrieverSettingsSchema,
  HttpRetrieverSettingsSchema,
} from "./retrievers.js";

export const Bm25SettingsSchema = z
  .object({
    kind: z.literal("bm25"),
    /** Weight of each indexed field in the score. Default: the memory's text 1, subject 1, predicate 1, object 1. */
    boost: z
      .object({
        text: z.number().min(0).max(100).default(1),
        subject: z.number().min(0).max(100).default(1),
        predicate: z.number().min(0).max(100).default(1),
        object: z.number().min(0).max(100).default(1),
      })
      .strict()
      .default({ text: 1, subject: 1, predicate: 1, object: 1 })
      .describe("Weight of each indexed field in the BM25+ score. Default 1 each."),
  })
  .strict();

export type Bm25Settings = z.infer<typeof Bm25SettingsSchema>;

/** The retrievers a simulation can rank its stores with, keyed by `kind`. */
export const RetrieverSettingsSchema = z.discriminatedUnion("kind", [
  Bm25SettingsSchema,
  EmbeddingsRetrieverSettingsSchema,
  CommandRetrieverSettingsSchema,
  HttpRetrieverSettingsSchema,
]);

export type RetrieverSettings = z.infer<typeof RetrieverSettingsSchema>;

/** The default: the embedded BM25 retriever, no server and no key. */
export const DEFAULT_RETRIEVER: Bm25Settings = Bm25SettingsSchema.parse({ kind: "bm25" });

const share = (defaultValue: number, description: string) =>
  z
    .number()
    .min(0, { error: "expected a fraction in [0, 1]" })
    .max(1, { error: "expected a fraction in [0, 1]" })
    .default(defaultValue)
    .describe(`${description} Default ${defaultValue}.`);

/** The retrieval simulation: which stores it builds, how it asks them, and with which retriever. */
export const RetrievalSettingsSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe("Simulate the store each migration strategy leaves and measure retrieval on it. Default true."),
    k: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe(
        "Memories a search returns: answerable share, recall, precision and MRR are measured at this k. Default 5.",
      ),
    coexist_share: share(
      0.5,
      "`coexist`: the share of each scope's conversations, the newest in time order, whose memories come from the candidate; the older rest keep the baseline's.",
    ),
    coexist_sweep: z
      .array(z.number().min(0).max(1))
      .max(20)
      .default([0.25, 0.75])
      .describe("Other candidate shares at which `coexist`'s answerable share is measured too. Default [0.25, 0.75]."),
    rollout_percent: z
      .number()
      .min(0)
      .max(100)
      .default(10)
      .describe(
        "`progressive`: the percentage of conversations (a seeded draw) whose memories come from the candidate. Default 10.",
      ),
    max_queries_per_scope: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(200)
      .describe(
        "Derived queries: golden memories drawn per scope (seeded), each giving a filtered lookup and a text query. Default 200.",
      ),
    min_confidence: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("The store's confidence threshold, applied to derived lookups as `min_confidence`. Default: none."),
    retriever: RetrieverSettingsSchema.default(DEFAULT_RETRIEVER).describe(
      "How stores are searched. Default `{kind: bm25}`: BM25+ over each memory's text, subject, predicate and object.",
    ),
  })
  .strict();

export type RetrievalSettings = z.infer<typeof RetrievalSettingsSchema>;
