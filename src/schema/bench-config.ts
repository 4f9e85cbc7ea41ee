import { z } from "zod";
import { JudgeConfigSchema } from "./judge-config.js";
import {
  BatchSettingsSchema,
  CacheSettingsSchema,
  ModelPriceSchema,
  ProviderLimitsSchema,
  RetrySettingsSchema,
} from "./model-call-settings.js";
import { RetrievalSettingsSchema } from "./retrieval-settings.js";
import { ThresholdsSchema } from "./thresholds.js";

export {
  HeuristicJudgeSchema,
  JudgeConfigSchema,
  LlmJudgeSchema,
  type HeuristicJudgeConfig,
  type LlmJudgeConfig,
} from "./judge-config.js";
export {
  BatchSettingsSchema,
  CacheModeSchema,
  CacheSettingsSchema,
  ModelPriceSchema,
  ProviderLimitsSchema,
  RetrySettingsSchema,
  type BatchSettings,
  type CacheMode,
  type CacheSettings,
  type ModelPrice,
  type ProviderLimits,
  type RetrySettings,
} from "./model-call-settings.js";
export { ThresholdsSchema, type Thresholds } from "./thresholds.js";

/** The size of the memory store a full re-extraction would go through: conversations or turns, exactly one. */
export const StoreSizeSchema = z
  .object({
    conversations: z.number().int().min(1).max(1e12).optional().describe("Conversations in the store."),
    turns: z.number().int().min(1).max(1e13).optional().describe("Turns in the store."),
  })
  .strict()
  .refine((store) => (store.conversations === undefined) !== (store.turns === undefined), {
    error:
      "expected exactly one of `conversations` or `turns`, a positive integer, e.g. `store: {conversations: 250000}`",
  });

const DEFAULT_BUCKETS = [0, 0.3, 0.5, 0.7, 0.85, 1.0];

export const ConfidenceBucketsSchema = z
  .array(z.number().min(0).max(1))
  .min(2)
  .max(101)
  .refine((edges) => edges.every((edge, i) => i === 0 || edge > edges[i - 1]!), {
    message: "bucket edges must be strictly increasing",
  })
  .refine((edges) => edges[0] === 0 && edges[edges.length - 1] === 1, {
    message: "bucket edges must start at 0 and end at 1",
  });

export const BenchConfigSchema = z
  .object({
    baseline: z.string().min(1).describe("Extractor config files, relative to this file."),
    candidate: z.string().min(1),
    dataset: z
      .string()
      .min(1)
      .describe("Conversation set: a .jsonl/.json file or a folder of them, relative to this file."),
    golden: z
      .string()
      .min(1)
      .describe("Golden memories: a .jsonl/.json file or a folder of them, relative to this file."),
    queries: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Retrieval queries (JSONL: id, scope or conversation_id, text, filters, relevant_golden or relevant_turns), relative to this file. Default: derived from the golden memories.",
      ),
    retrieval: RetrievalSettingsSchema.default(RetrievalSettingsSchema.parse({})).describe(
      "The retrieval simulation. Default: on, BM25, k 5, coexist share 0.5, rollout 10%.",
    ),
    labels: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Human labels (the labels file `golden review` writes), relative to this file. When set, the report gives judge-vs-human agreement. Default: none.",
      ),
    judge: JudgeConfigSchema.default("heuristic").describe(
      "`heuristic` (default) or an LLM judge: `{provider: anthropic|openai, model, …}`.",
    ),
    junk_sample_size: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(100)
      .describe(
        "Junk rate: conversations are drawn (seeded) until each config has at least this many candidates, and both configs are judged on the same conversations. A free judge (heuristic) judges every candidate. Default 100.",
      ),
    junk_sample_max: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(1000)
      .describe(
        "With an LLM judge, the junk sample grows past `junk_sample_size` while the junk check is inconclusive, to the size its observed spread says would decide it, up to this many candidates per config (and within `max_cost_usd`). Set it to `junk_sample_size` for a fixed sample. Default 1000.",
      ),
    top_k_predicates: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(50)
      .describe("Predicates per config compared by the vocabulary Jaccard. Default 50."),
    confidence_buckets: ConfidenceBucketsSchema.default(DEFAULT_BUCKETS).describe(
      "Confidence histogram edges. Default [0, 0.3, 0.5, 0.7, 0.85, 1.0].",
    ),
    min_paired_conversations: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(10)
      .describe(
        "Fewer conversations where both configs produced a result than this, and the verdict is insufficient data. Default 10.",
      ),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(42)
      .describe("Seed for every sampled quantity (junk sample, bootstrap). Default 42."),
    bootstrap_resamples: z
      .number()
      .int()
      .min(100)
      .max(100_000)
      .default(1000)
      .describe("Bootstrap resamples for confidence intervals, 100 to 100,000. Default 1000."),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(4)
      .describe(
        "Dry runs in flight at once. Default 4. Runs whose extractors are `rules` or `replay` and whose judge is the heuristic one wait on nothing and take one at a time.",
      ),
    thresholds: ThresholdsSchema.default(ThresholdsSchema.parse({})),
    cache: CacheSettingsSchema.default(CacheSettingsSchema.parse({})).describe(
      "Model answer cache. Default: read-write in `.extractor-bench/cache`.",
    ),
    rate_limits: z
      .record(z.string(), ProviderLimitsSchema)
      .default({})
      .describe(
        "Per model provider (`anthropic`, `openai`, or one registered with registerProvider): `concurrency` (default 4), `requests_per_minute`, `tokens_per_minute` (default: no limit).",
      ),
    retries: RetrySettingsSchema.default(RetrySettingsSchema.parse({})).describe(
      "Retries of failed model calls. Default: 4, from 1 s doubling up to 60 s.",
    ),
    pricing: z
      .record(z.string().min(1), ModelPriceSchema)
      .default({})
      .describe(
        "USD per million tokens by model name, over the built-in table, e.g. `my-model: {input_per_mtok: 0.5, output_per_mtok: 1.5}`. Default: the built-in table.",
      ),
    batch: BatchSettingsSchema.default(BatchSettingsSchema.parse({})).describe(
      "Provider batch APIs for model calls. Default: off.",
    ),
    max_cost_usd: z
      .number()
      .positive()
      .optional()
      .describe("Stop making model calls once this much was spent (exit 3, run log kept). Default: no limit."),
    store: StoreSizeSchema.optional().describe(
      "The memory store's size, `{conversations: N}` or `{turns: N}`: the report estimates the tokens, cost and duration of re-extracting all of it. Default: no estimate.",
    ),
    output: z
      .object({
        dir: z
          .string()
          .min(1)
          .default("reports")
          .describe("Folder that receives one `<run-id>/` folder per run, relative to this file. Default `reports`."),
      })
      .strict()
      .default({ dir: "reports" }),
  })
  .strict();

export type StoreSize = z.infer<typeof StoreSizeSchema>;
export type BenchConfig = z.infer<typeof BenchConfigSchema>;
