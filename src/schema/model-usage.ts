import { z } from "zod";

const count = z.number().int().min(0);

/** Who spent: an extractor config, the judge, or the retrieval simulation's embeddings. */
export const UsageScopeSchema = z.enum(["baseline", "candidate", "judge", "retrieval"]);

/** What one config's extractor, the judge, or the retrieval simulation's embeddings spent on model calls during one run. */
export const ModelUsageSchema = z
  .object({
    scope: UsageScopeSchema,
    provider: z.string(),
    model: z.string(),
    /** Requests sent to the provider (retries included). */
    requests: count,
    /** Calls answered by the provider. */
    calls: count,
    /** Of those, calls answered through a provider batch API (priced at the batch discount). Absent before batches existed. */
    batch_calls: count.default(0),
    /** Calls answered from the cache: no request, no cost. */
    cache_hits: count,
    retries: count,
    /** Calls that failed after their retries. */
    failures: count,
    /** Tokens of the calls answered by the provider during this run. */
    input_tokens: count,
    output_tokens: count,
    /** Of the output tokens, those spent reasoning or thinking. Absent in logs written before it was counted. */
    reasoning_tokens: count.default(0),
    /** Input tokens read from and written to the provider's prompt cache (not in input_tokens). */
    cache_read_tokens: count.default(0),
    cache_write_tokens: count.default(0),
    /** Preflight checks sent before the run's first paid call (not among `requests`), and what they cost. */
    preflight_requests: count.default(0),
    preflight_cost_usd: z.number().min(0).default(0),
    /** USD for those tokens; null when the model has no price (built-in table or `pricing`). */
    cost_usd: z.number().min(0).nullable(),
  })
  .strict();

export type UsageScope = z.infer<typeof UsageScopeSchema>;
export type ModelUsage = z.infer<typeof ModelUsageSchema>;
