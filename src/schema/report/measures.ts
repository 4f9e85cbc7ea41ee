import { z } from "zod";
import { IntervalSchema, int, ratio } from "./numbers.js";

// Numbers of each config and of the change between them: the metric table's values, and how complete the run was.

export const ConfidenceBucketSchema = z.object({ from: z.number(), to: z.number(), count: int, share: ratio }).strict();

/** A level corrected for the judge's flip rate (see JudgeNoiseSchema), its interval carrying the judge's noise. */
export const CorrectedLevelSchema = z.object({ value: ratio, ci: IntervalSchema }).strict();

const estimate = z
  .object({
    value: ratio,
    ci: IntervalSchema,
    /** Bootstrap standard error of the value (the spread of its resamples). Absent in older reports. */
    se: ratio.optional(),
    /**
     * Present when the judge's noise was measured (an LLM judge's repeats): the change corrected for
     * the judge's flip rate, its interval and standard error carrying the judge's noise, and half the
     * width of the 95% interval the judge's flips alone would give it. The gate reads this one.
     */
    corrected: z.object({ value: ratio, ci: IntervalSchema, se: ratio, noise_spread: ratio }).strict().optional(),
  })
  .strict();

/**
 * One config's numbers. Quality and drift metrics (precision, recall, extraction count, junk,
 * confidence, types, predicates) cover the paired conversations only, where both configs produced a
 * result, so the two sides are measured on the same conversations; operating metrics cover every
 * conversation the config attempted.
 */
export const ConfigMetricsSchema = z
  .object({
    /** Paired conversations the quality metrics cover. */
    conversations: int,
    turns: int,
    candidates: int,
    /** `corrected`: the level corrected for the judge's flip rate, when its noise was measured. */
    precision: z
      .object({
        value: ratio,
        useful: int,
        judged: int,
        ci: IntervalSchema,
        corrected: CorrectedLevelSchema.optional(),
      })
      .strict(),
    recall: z
      .object({
        value: ratio,
        covered: int,
        golden: int,
        /** Golden memories a candidate states only in part (a model judge's coverage score 1), not counted in `covered`; absent when no model judged coverage. */
        partial: int.optional(),
        ci: IntervalSchema,
        corrected: CorrectedLevelSchema.optional(),
      })
      .strict(),
    extraction: z.object({ per_turn: ratio, per_conversation: ratio, ci: IntervalSchema }).strict(),
    /** Useful memories per paired conversation: precision × extractions per conversation. Absent in older reports. */
    useful_per_conversation: ratio.optional(),
    junk: z
      .object({
        rate: ratio,
        junk: int,
        judged: int,
        conversations: int,
        by_category: z.record(z.string(), int),
        ci: IntervalSchema,
        corrected: CorrectedLevelSchema.optional(),
      })
      .strict(),
    confidence: z
      .object({
        histogram: z.array(ConfidenceBucketSchema),
        mean: ratio,
        median: ratio,
        /** Share of candidates with confidence ≥ 0.7. */
        high_share: ratio,
      })
      .strict(),
    types: z.record(z.string(), int),
    predicates: z
      .object({ distinct: int, top: z.array(z.object({ predicate: z.string(), count: int }).strict()) })
      .strict(),
    operating: z
      .object({
        /** Extract calls attempted (a retry of invalid JSON is the same call). */
        extract_calls: int,
        json_failures: int,
        json_fail_rate: ratio,
        /** Extract calls whose answer could not be used, by why (invalid_json, truncated, refused, empty). Absent in older reports. */
        answer_failures: z.record(z.string(), int).default({}),
        /** What reading the answers repaired and kept, by reason. Absent in older reports. */
        repairs: z.record(z.string(), int).default({}),
        /** Memories and evidence ids the answers held that could not be read, by reason. Absent in older reports. */
        dropped: z.record(z.string(), int).default({}),
        extracted: int,
        deduped: int,
        dedup_collapse_rate: ratio,
        resolved_by_stage: z.object({ exact: int, alias: int, fuzzy: int, fallback: int }).strict(),
        /** Entity mentions that reached the fallback stage / all entity mentions, repeats included. */
        entity_resolution_fail_rate: ratio,
        prefiltered_turns: int,
        latency_p50_ms: ratio,
        latency_p95_ms: ratio,
        input_tokens: int,
        output_tokens: int,
      })
      .strict(),
  })
  .strict();

/** Candidate − baseline. Differences of rates are fractions (0.05 = 5 percentage points). */
export const DeltasSchema = z
  .object({
    precision: estimate,
    recall: estimate,
    /** Relative change of extractions per turn, a fraction (0.054 = +5.4%). */
    extraction_per_turn: estimate,
    junk: estimate,
    /** Change of the share of candidates at confidence ≥ 0.7. */
    confidence_high_share: ratio,
    confidence_mean: ratio,
    json_fail_rate: ratio,
    dedup_collapse_rate: ratio,
    entity_resolution_fail_rate: ratio,
    /** Relative change of useful memories per conversation, a fraction. Absent in older reports. */
    useful_per_conversation: ratio.optional(),
    /** The same change with its paired interval over conversations. Absent in older reports. */
    entity_resolution: estimate.optional(),
  })
  .strict();

const sideCompleteness = z
  .object({
    /** Dry runs logged for this config. */
    attempted: int,
    succeeded: int,
    failed: int,
    /** failed / attempted. */
    failed_rate: ratio,
    failed_by_kind: z.record(z.string(), int),
    /** Judge units that failed after their retry, by task; excluded from the metric they would have fed. */
    judge_errors: z.record(z.string(), int),
  })
  .strict();

export const CompletenessSchema = z
  .object({
    /** The run log holds a run_end record: every planned unit was attempted. */
    complete: z.boolean(),
    conversations: int,
    /** Conversations where both configs produced a result: the ones every paired metric covers. */
    paired_conversations: int,
    /** Dry runs planned but absent from the log (an interrupted run). */
    missing_dry_runs: int,
    baseline: sideCompleteness,
    candidate: sideCompleteness,
  })
  .strict();

export type ConfidenceBucket = z.infer<typeof ConfidenceBucketSchema>;
export type ConfigMetrics = z.infer<typeof ConfigMetricsSchema>;
export type Deltas = z.infer<typeof DeltasSchema>;
export type Completeness = z.infer<typeof CompletenessSchema>;
