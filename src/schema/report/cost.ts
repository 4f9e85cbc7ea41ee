import { z } from "zod";
import { ModelUsageSchema } from "../model-usage.js";
import { int, ratio } from "./numbers.js";

// What the run cost and what a full re-extraction would cost.

export const CostTotalSchema = z
  .object({
    /** USD spent by the priced models during this run (cache hits cost nothing). */
    total_usd: z.number().min(0),
    /** False when a model with no price answered calls: their spend is missing from the total, which is then a lower bound. */
    complete: z.boolean(),
    /** The models that answered calls with no price, whose spend the total lacks; empty when complete. */
    unpriced_models: z.array(z.string()),
  })
  .strict();

export const ModelUsageSummarySchema = z
  .object({
    /** Per scope: the baseline's and the candidate's extractor, and the judge. */
    accounts: z.array(ModelUsageSchema),
    /** USD spent by the priced models during this run (cache hits cost nothing); `cost` says whether that is all of it. */
    total_cost_usd: z.number().min(0),
    /** Models with no price in the built-in table or `pricing`, whether or not they answered calls; their spend is not in the total. */
    unpriced_models: z.array(z.string()),
    max_cost_usd: z.number().nullable(),
    stopped: z.string().optional(),
    /** The total and whether it is complete. Absent in reports written before it was added: derive it from `accounts`. */
    cost: CostTotalSchema.optional(),
  })
  .strict();

const tokenCounts = z
  .object({
    /** Input tokens at the full input price, and output tokens (reasoning included). */
    input: z.number().min(0),
    output: z.number().min(0),
    /** Input tokens read from and written to the prompt cache; present when the run's dry runs had any. */
    cache_read: z.number().min(0).optional(),
    cache_write: z.number().min(0).optional(),
  })
  .strict();

/** Which limit sets the live duration of a re-extraction: the slowest of the three. */
export const DurationBoundSchema = z.enum(["latency", "requests_per_minute", "tokens_per_minute"]);

/** One config's projected full re-extraction of the store. Every null has its reason in `reasons`. */
export const ReextractionSideSchema = z
  .object({
    name: z.string(),
    provider: z.string(),
    model: z.string(),
    /** False for extractors that call no model (`rules`, `command`, `replay`, `http`): nothing to price. */
    calls_models: z.boolean(),
    /** Means over the config's successful dry runs of this run; null when there is none or no model is called. */
    measured: z
      .object({
        dry_runs: int,
        turns: int,
        /** Mean input and output tokens per conversation, and per turn (total tokens / total turns). */
        per_conversation: tokenCounts,
        per_turn: tokenCounts,
        /** Mean extract calls per conversation (windows of long conversations add calls). */
        calls_per_conversation: z.number().min(0),
        /** Mean dry-run wall time per conversation, queueing behind the provider limits included; null when every call was a cache hit. */
        latency_ms: z.number().min(0).nullable(),
      })
      .strict()
      .nullable(),
    /** The store's conversations and turns (one given, the other from the measured turns per conversation) and their tokens. */
    projected: z
      .object({ conversations: z.number().min(0), turns: z.number().min(0), tokens: tokenCounts })
      .strict()
      .nullable(),
    /** USD at list price, live and through the providers' batch APIs (half price); null when unpriced or not measurable. */
    cost_usd: z
      .object({ live: z.number().min(0), batched: z.number().min(0) })
      .strict()
      .nullable(),
    /** Live duration: the slowest of the latency bound (conversations × latency / concurrency) and the rate-limit bounds. */
    duration: z
      .object({
        live_ms: z.number().min(0).nullable(),
        bound: DurationBoundSchema.nullable(),
        bounds_ms: z.object({ latency: ratio, requests_per_minute: ratio, tokens_per_minute: ratio }).strict(),
      })
      .strict()
      .nullable(),
    /** The batch APIs' completion window (Anthropic Message Batches, OpenAI Batch: 24 hours); null without a model. */
    batch_window_hours: z.number().nullable(),
    /** Why a figure is missing, and caveats that go with the ones given. */
    reasons: z.array(z.string()),
  })
  .strict();

export const ReextractionSchema = z
  .object({
    /** The store's size as the bench file gives it. */
    store: z.object({ unit: z.enum(["conversations", "turns"]), size: int }).strict(),
    /** Dry runs in flight at once (the bench's `concurrency`), which the latency bound divides by. */
    concurrency: int,
    baseline: ReextractionSideSchema,
    candidate: ReextractionSideSchema,
  })
  .strict();

export type ReextractionSide = z.infer<typeof ReextractionSideSchema>;
export type Reextraction = z.infer<typeof ReextractionSchema>;
export type DurationBound = z.infer<typeof DurationBoundSchema>;
export type ModelUsageSummary = z.infer<typeof ModelUsageSummarySchema>;
export type CostTotal = z.infer<typeof CostTotalSchema>;
