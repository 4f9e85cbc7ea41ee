import { z } from "zod";
import { CHANGE_KINDS } from "../constants.js";
import { ThresholdsSchema } from "../bench-config.js";
import { RetrievalVerdictSchema } from "../retrieval-verdict.js";
import { IntervalSchema, int, ratio } from "./numbers.js";

// The verdict: flags, the decision table's rules and the config diff behind them, and the gate's checks.

export const FlagSchema = z.object({ id: z.string(), message: z.string() }).strict();

export const RecommendationRuleSchema = z
  .object({
    id: z.string(),
    change: z.string(),
    risk: z.enum(["low", "medium", "high"]),
    strategy: z.enum(["coexist", "progressive_rollout", "full_reextraction"]),
    evidence: z.array(z.string()),
  })
  .strict();

/** What kind of change a config field is: each gets its own label in the config diff. */
export const ChangeKindSchema = z.enum(CHANGE_KINDS);

export const ConfigDiffSchema = z
  .object({
    changed: z.array(
      z.object({ field: z.string(), kind: ChangeKindSchema, baseline: z.string(), candidate: z.string() }).strict(),
    ),
    /** The kinds of change present, in a fixed order. */
    kinds: z.array(ChangeKindSchema),
    model_changed: z.boolean(),
    prompt_changed: z.boolean(),
    type_rules_changed: z.boolean(),
    schema_version_changed: z.boolean(),
  })
  .strict();

export const RecommendationSchema = z
  .object({
    /** `insufficient_data` when too little was measured to apply the decision table. */
    strategy: z.enum(["coexist", "progressive_rollout", "full_reextraction", "insufficient_data"]),
    risk: z.enum(["low", "medium", "high", "unknown"]),
    summary: z.string(),
    /** Why the verdict is insufficient data; empty otherwise. */
    insufficient: z.array(z.string()),
    rules: z.array(RecommendationRuleSchema),
    /** Rows of the decision table that could not be read from the measurements, and why: drift there was not measured. Absent in older reports. */
    not_measured: z.array(z.string()).optional(),
    config_diff: ConfigDiffSchema,
    warnings: z.array(z.string()),
    snippets: z
      .object({ rollout: z.string().optional(), normalization: z.string().optional(), scaling: z.string().optional() })
      .strict(),
    /** The retrieval simulation read beside the decision table; absent when it did not run. */
    retrieval: RetrievalVerdictSchema.optional(),
  })
  .strict();

/**
 * `inconclusive`: the check's 95% interval straddles its limit; it passes the gate unless the
 * thresholds say `on_inconclusive: fail`, and is shown as inconclusive either way.
 */
export const GateCheckStatusSchema = z.enum(["passed", "failed", "inconclusive", "not_measured"]);

export const GateCheckSchema = z
  .object({
    id: z.string(),
    description: z.string(),
    /** The measured quantity compared with the limit (a fraction); null when not measured. */
    value: z.number().nullable(),
    limit: z.number(),
    /** How value and limit print: a difference of rates in points, a rate, or a relative change. */
    unit: z.enum(["pp", "rate", "relative"]),
    status: GateCheckStatusSchema,
    /** The check's outcome sentence, with the measured value and the limit in the check's unit. */
    detail: z.string(),
    /**
     * `estimate`: a change between the two configs, decided by its 95% paired interval against the
     * limit; `observed`: a rate of failures the run itself observed, compared with the limit directly.
     * Absent in older reports.
     */
    kind: z.enum(["estimate", "observed"]).optional(),
    /** The 95% interval of the compared quantity, oriented as `value` (a drop, a rise, a change). */
    interval: IntervalSchema.optional(),
    /** Paired conversations the estimate covers (for junk: those of the junk sample). */
    conversations: int.optional(),
    /**
     * For an inconclusive check: about how many paired conversations would decide it at the observed
     * spread (from the bootstrap standard error); null when no number would (the change sits on the limit).
     */
    decide_conversations: z.number().int().min(0).nullable().optional(),
    /** Half the width of the 95% interval the judge's flips alone give the change, when the judge's noise was measured. */
    noise_spread: ratio.optional(),
  })
  .strict();

export const GateSchema = z
  .object({
    passed: z.boolean(),
    thresholds: ThresholdsSchema,
    checks: z.array(GateCheckSchema),
  })
  .strict();

export type Flag = z.infer<typeof FlagSchema>;
export type RecommendationRule = z.infer<typeof RecommendationRuleSchema>;
export type ConfigDiff = z.infer<typeof ConfigDiffSchema>;
export type Recommendation = z.infer<typeof RecommendationSchema>;
export type GateCheck = z.infer<typeof GateCheckSchema>;
export type Gate = z.infer<typeof GateSchema>;
export type ChangeKind = z.infer<typeof ChangeKindSchema>;
export type GateCheckStatus = z.infer<typeof GateCheckStatusSchema>;
