import { z } from "zod";

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

export type CacheMode = z.infer<typeof CacheModeSchema>;
export type CacheSettings = z.infer<typeof CacheSettingsSchema>;
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;
export type RetrySettings = z.infer<typeof RetrySettingsSchema>;
export type BatchSettings = z.infer<typeof BatchSettingsSchema>;
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
