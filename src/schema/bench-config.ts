import { z } from "zod";
import { ModelProviderSchema, modelSettingsFields, providerSchemaList, providerSchemas } from "./model-settings.js";
import { RetrievalSettingsSchema } from "./retrieval-settings.js";

/** A percentage written as text where a fraction is meant (`5%`): the fraction to write instead; undefined otherwise. */
function percentTextHint(input: unknown): string | undefined {
  const match = typeof input === "string" ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(input) : null;
  return match ? `expected a fraction in [0, 1] (write ${Number(match[1]) / 100} for ${match[1]}%)` : undefined;
}

/**
 * A rate threshold: a fraction in [0, 1]. A value above 1 is almost always a percentage typed as a
 * number (5 for 5%), and `5%` one typed as text, so the message shows the fraction meant.
 */
function fraction(defaultValue: number, description: string) {
  return z
    .number({ error: (issue) => percentTextHint(issue.input) })
    .min(0, { error: "expected a fraction in [0, 1]" })
    .max(1, {
      error: (issue) =>
        `expected a fraction in [0, 1] (write ${Number(issue.input) / 100} for ${String(issue.input)} percentage points)`,
    })
    .default(defaultValue)
    .describe(`${description} A fraction in [0, 1]. Default ${defaultValue}.`);
}

/**
 * Every rate threshold is a fraction; the gate prints differences of rates in percentage points.
 * A check that compares the two configs passes when its 95% paired interval rules out a change beyond
 * its limit, fails when the interval lies wholly beyond it, and is inconclusive when it straddles it.
 */
export const ThresholdsSchema = z
  .object({
    max_precision_drop: fraction(
      0.05,
      "Fail when the 95% paired interval of the precision drop lies wholly above this (0.05 = 5 percentage points); pass when it lies wholly at or below it.",
    ),
    max_recall_drop: fraction(
      0,
      "Fail when the 95% paired interval of the recall drop lies wholly above this (at 0: the drop's interval excludes 0); pass when it lies wholly at or below it.",
    ),
    max_junk_increase: fraction(
      0.05,
      "Fail when the 95% paired interval of the junk rate's rise lies wholly above this; pass when it lies wholly at or below it.",
    ),
    max_json_fail_rate: fraction(
      0.02,
      "Fail when the candidate's JSON fail rate (failed extract calls / attempted calls) is above this.",
    ),
    max_extraction_count_change: z
      .number()
      .min(0)
      .max(100)
      .default(0.4)
      .describe(
        "Fail when the 95% paired interval of the relative change of extractions per turn lies wholly beyond this, either way (0.4 = ±40%); pass when it lies wholly within it. Default 0.4.",
      ),
    max_entity_resolution_fail_increase: fraction(
      0.01,
      "Fail when the 95% paired interval of the rise of the entity-resolution fail rate (candidate − baseline) lies wholly above this; pass when it lies wholly at or below it.",
    ),
    max_failed_unit_rate: fraction(0.02, "Fail when either config's share of failed dry runs is above this."),
    max_coexist_retrieval_loss: z
      .number({ error: (issue) => percentTextHint(issue.input) })
      .min(0, { error: "expected a fraction in [0, 1]" })
      .max(1, {
        error: (issue) =>
          `expected a fraction in [0, 1] (write ${Number(issue.input) / 100} for ${String(issue.input)} percentage points)`,
      })
      .optional()
      .describe(
        "Opt-in: fail when the 95% interval of `coexist`'s drop in answerable share, against the better of the two pure stores (baseline, re-extraction), lies wholly above this; pass when it lies wholly at or below it. A fraction in [0, 1]. Default: unset, the check is not run.",
      ),
    on_unmeasured: z
      .enum(["fail", "pass"])
      .default("fail")
      .describe(
        "A check that could not be measured fails the gate (`fail`, default) or is let through (`pass`); it is reported as not measured either way.",
      ),
    on_inconclusive: z
      .enum(["pass", "fail"])
      .default("pass")
      .describe(
        "A check whose 95% interval straddles its limit passes the gate (`pass`, default) or fails it (`fail`: proof of no regression wanted); it is reported as inconclusive either way, with the paired conversations that would decide it.",
      ),
  })
  .strict();

export const HeuristicJudgeSchema = z
  .object({
    provider: z.literal("heuristic"),
    coverage_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe(
        "A golden memory is covered by a candidate carrying at least this share of its content words. Default 0.6.",
      ),
    evidence_coverage_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("The lower bar for a candidate whose evidence turns overlap the golden memory's. Default 0.5."),
  })
  .strict();

const llmJudgeFields = {
  ...modelSettingsFields,
  max_tokens: modelSettingsFields.max_tokens.describe("Answer length limit per judge call, in tokens. Default 4096."),
  repeat_share: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe("Share of conversations judged a second time, bypassing the cache, to measure judge noise. Default 0.1."),
  pairwise: z
    .boolean()
    .default(false)
    .describe("Also compare the two configs' candidates per conversation, judged in both orders. Default false."),
  batch_size: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe(
      "Memories rated or classified per judge call: fewer means less contrast between the memories of one list, more means fewer calls. Default 10.",
    ),
};

const judgeSchemas = providerSchemas(llmJudgeFields);

/** An LLM judge: the shared model settings, its provider's own, and the judge's options. */
export const LlmJudgeSchema = z.discriminatedUnion("provider", providerSchemaList(judgeSchemas));

const JudgeByProviderSchema = z.discriminatedUnion("provider", [
  HeuristicJudgeSchema,
  ...providerSchemaList(judgeSchemas),
]);

export const JudgeConfigSchema = z.union([z.literal("heuristic"), JudgeByProviderSchema]);

export const CacheModeSchema = z.enum(["read-write", "read-only", "off", "replay-only"]);

export const CacheSettingsSchema = z
  .object({
    mode: CacheModeSchema.default("read-write").describe(
      "`read-write` (default): answers are read from and written to the cache; `read-only`: read, never written; `off`: neither; `replay-only`: every call must be answered by the cache, a miss stops the run (exit 3).",
    ),
    dir: z
      .string()
      .min(1)
      .default(".extractor-bench/cache")
      .describe("Cache folder, relative to this file. Default `.extractor-bench/cache`."),
  })
  .strict();

export const ProviderLimitsSchema = z
  .object({
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(4)
      .describe("Calls in flight at once to this provider. Default 4."),
    requests_per_minute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe("Calls started per minute. Default: no limit."),
    tokens_per_minute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .describe("Estimated input plus output tokens per minute. Default: no limit."),
  })
  .strict();

export const RetrySettingsSchema = z
  .object({
    max_retries: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(4)
      .describe("Retries of a call after a 429, 5xx, 529, timeout or dropped connection. Default 4."),
    base_delay_ms: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(1000)
      .describe("First backoff delay; doubled each retry, with jitter. Default 1000."),
    max_delay_ms: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .default(60_000)
      .describe("Longest wait between two attempts, `retry-after` included. Default 60000."),
  })
  .strict();

export const ModelPriceSchema = z
  .object({
    input_per_mtok: z.number().min(0).max(100_000).describe("USD per million input tokens."),
    output_per_mtok: z.number().min(0).max(100_000).describe("USD per million output tokens."),
    cache_read_per_mtok: z
      .number()
      .min(0)
      .max(100_000)
      .optional()
      .describe("USD per million input tokens read from the provider's prompt cache. Default: the input price."),
    cache_write_per_mtok: z
      .number()
      .min(0)
      .max(100_000)
      .optional()
      .describe("USD per million input tokens written to the provider's prompt cache. Default: the input price."),
  })
  .strict();

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

/** Provider batch APIs (Anthropic Message Batches, OpenAI Batch): half the price, no rate limits, answers within hours. */
export const BatchSettingsSchema = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        "Send the extract and judge calls of model configs and the LLM judge through the providers' batch APIs (`run --batch` turns it on). Default false.",
      ),
    poll_interval_ms: z
      .number()
      .int()
      .min(1)
      .max(3_600_000)
      .default(10_000)
      .describe(
        "First wait before asking a submitted batch for its status; each later wait is 1.5 times longer, up to 10 times this. Default 10000.",
      ),
    max_wait_ms: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400_000)
      .default(86_400_000)
      .describe(
        "Give up on a batch still running after this long: it is cancelled and its calls are made live. Default 86400000 (24 h, the providers' own window).",
      ),
    max_requests: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .default(10_000)
      .describe(
        "Calls per batch; a batch is submitted once it holds this many, or as soon as no call has joined it for a moment. At most 50,000 (OpenAI's limit). Default 10000.",
      ),
  })
  .strict();

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
      .partialRecord(ModelProviderSchema, ProviderLimitsSchema)
      .default({})
      .describe(
        "Per provider: `concurrency` (default 4), `requests_per_minute`, `tokens_per_minute` (default: no limit).",
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

export type Thresholds = z.infer<typeof ThresholdsSchema>;
export type HeuristicJudgeConfig = z.infer<typeof HeuristicJudgeSchema>;
export type LlmJudgeConfig = z.infer<typeof LlmJudgeSchema>;
export type CacheMode = z.infer<typeof CacheModeSchema>;
export type CacheSettings = z.infer<typeof CacheSettingsSchema>;
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;
export type RetrySettings = z.infer<typeof RetrySettingsSchema>;
export type BatchSettings = z.infer<typeof BatchSettingsSchema>;
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
export type StoreSize = z.infer<typeof StoreSizeSchema>;
export type BenchConfig = z.infer<typeof BenchConfigSchema>;
