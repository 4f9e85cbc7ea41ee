import { z } from "zod";
import { ThresholdsSchema } from "./bench-config.js";
import { ModelUsageSchema } from "./model-usage.js";
import { ConfigRoleSchema, EvidenceTurnSchema, FORMAT_VERSION, JudgeInfoSchema } from "./run-log.js";
import { JunkCategorySchema } from "./verdict.js";

const int = z.number().int().min(0);
const ratio = z.number().nullable();
/** 95% confidence interval, [low, high]; null when it cannot be estimated. */
export const IntervalSchema = z.tuple([z.number(), z.number()]).nullable();

export const ConfidenceBucketSchema = z
  .object({ from: z.number(), to: z.number(), count: int, share: ratio })
  .strict();

export const ConfigMetricsSchema = z
  .object({
    conversations: int,
    /** Conversations whose dry run failed (and produced no candidates). */
    conversations_failed: int,
    turns: int,
    candidates: int,
    precision: z.object({ value: ratio, useful: int, judged: int, ci: IntervalSchema }).strict(),
    recall: z.object({ value: ratio, covered: int, golden: int, ci: IntervalSchema }).strict(),
    extraction: z.object({ per_turn: ratio, per_conversation: ratio }).strict(),
    junk: z
      .object({ rate: ratio, junk: int, sampled: int, by_category: z.record(z.string(), int) })
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
    predicates: z.object({ distinct: int, top: z.array(z.object({ predicate: z.string(), count: int }).strict()) }).strict(),
    operating: z
      .object({
        extract_calls: int,
        json_failures: int,
        json_fail_rate: ratio,
        extracted: int,
        deduped: int,
        dedup_collapse_rate: ratio,
        resolved_by_stage: z.object({ exact: int, alias: int, fuzzy: int, fallback: int }).strict(),
        entity_resolution_fail_rate: ratio,
        prefiltered_turns: int,
        latency_p50_ms: ratio,
        latency_p95_ms: ratio,
        input_tokens: int,
        output_tokens: int,
        sample_errors: int,
        judge_errors: int,
      })
      .strict(),
  })
  .strict();

export const DeltasSchema = z
  .object({
    precision: z.object({ value: ratio, ci: IntervalSchema }).strict(),
    recall: z.object({ value: ratio, ci: IntervalSchema }).strict(),
    /** Relative change of extractions per turn, in percent. */
    extraction_per_turn_pct: ratio,
    /** Junk rate change in percentage points. */
    junk_pp: ratio,
    /** Change of the share of candidates at confidence ≥ 0.7, in percentage points. */
    confidence_high_share_pp: ratio,
    confidence_mean: ratio,
    json_fail_rate: ratio,
    dedup_collapse_rate: ratio,
    entity_resolution_fail_rate: ratio,
  })
  .strict();

export const VocabularySchema = z
  .object({
    top_k: int,
    jaccard: ratio,
    band: z.enum(["minimal", "noticeable", "significant"]).nullable(),
    shared: z.array(z.string()),
    only_baseline: z.array(z.string()),
    only_candidate: z.array(z.string()),
    /** Baseline → candidate predicate of the same fact, from paired candidates. */
    renames: z.array(z.object({ from: z.string(), to: z.string(), count: int }).strict()),
  })
  .strict();

export const TypeChangeSchema = z
  .object({
    baseline: z.record(z.string(), int),
    candidate: z.record(z.string(), int),
    appeared: z.array(z.string()),
    disappeared: z.array(z.string()),
    /** Same fact, different type: from paired candidates. */
    moved: z.array(z.object({ from: z.string(), to: z.string(), count: int }).strict()),
  })
  .strict();

export const PairingSchema = z
  .object({
    /** Candidate pairs judged to be the same fact (same evidence, similar object). */
    pairs: int,
    predicate_changed: int,
    type_changed: int,
    subject_changed: int,
    /** Subject pairs that differ, e.g. "Alice" → "alice-chen". */
    subject_examples: z.array(z.object({ from: z.string(), to: z.string() }).strict()),
  })
  .strict();

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

export const ConfigDiffSchema = z
  .object({
    changed: z.array(z.object({ field: z.string(), baseline: z.string(), candidate: z.string() }).strict()),
    model_changed: z.boolean(),
    prompt_changed: z.boolean(),
    type_rules_changed: z.boolean(),
    schema_version_changed: z.boolean(),
  })
  .strict();

export const RecommendationSchema = z
  .object({
    strategy: RecommendationRuleSchema.shape.strategy,
    risk: RecommendationRuleSchema.shape.risk,
    summary: z.string(),
    rules: z.array(RecommendationRuleSchema),
    config_diff: ConfigDiffSchema,
    warnings: z.array(z.string()),
    snippets: z
      .object({ rollout: z.string().optional(), normalization: z.string().optional(), scaling: z.string().optional() })
      .strict(),
  })
  .strict();

export const GateCheckSchema = z
  .object({
    id: z.string(),
    description: z.string(),
    value: z.number().nullable(),
    limit: z.number(),
    passed: z.boolean(),
    detail: z.string(),
  })
  .strict();

export const GateSchema = z
  .object({ passed: z.boolean(), thresholds: ThresholdsSchema, checks: z.array(GateCheckSchema) })
  .strict();

const sideSummary = z
  .object({ candidates: int, covered: int, useful: int, error: z.string().optional() })
  .strict();

export const ConversationResultSchema = z
  .object({ conversation_id: z.string(), turns: int, golden: int, baseline: sideSummary, candidate: sideSummary })
  .strict();

export const MissedMemorySchema = z
  .object({
    role: ConfigRoleSchema,
    conversation_id: z.string(),
    golden_id: z.string(),
    text: z.string(),
    /** Whether the other config covered it. */
    covered_by_other: z.boolean(),
    evidence: z.array(EvidenceTurnSchema),
  })
  .strict();

export const JunkExampleSchema = z
  .object({
    role: ConfigRoleSchema,
    conversation_id: z.string(),
    candidate_index: int,
    text: z.string(),
    category: JunkCategorySchema.nullable(),
    reason: z.string(),
  })
  .strict();

export const RunErrorEntrySchema = z
  .object({ role: ConfigRoleSchema, conversation_id: z.string(), stage: z.enum(["dry_run", "judge"]), kind: z.string(), message: z.string() })
  .strict();

const agreement = z.object({ compared: int, disagreements: int, rate: ratio }).strict();

/** Verdicts that changed when a seeded subset of units was judged a second time (cache bypassed). */
export const JudgeNoiseSchema = z
  .object({
    /** (conversation, config) units judged twice. */
    units: int,
    /** Usefulness verdicts (useful or not) compared, and how many flipped: noise under the precision delta. */
    usefulness: agreement,
    /** Coverage verdicts (covered or not) compared, and how many flipped: noise under the recall delta. */
    coverage: agreement,
  })
  .strict();

export const PairwiseSummarySchema = z
  .object({
    conversations: int,
    candidate_better: int,
    candidate_worse: int,
    /** Ties, including every conversation where the two orders disagreed. */
    ties: int,
    errors: int,
    /** Share of conversations where both orders named the same winner. */
    consistency_rate: ratio,
  })
  .strict();

export const ModelUsageSummarySchema = z
  .object({
    /** Per scope: the baseline's and the candidate's extractor, and the judge. */
    accounts: z.array(ModelUsageSchema),
    /** USD spent by the priced models during this run (cache hits cost nothing). */
    total_cost_usd: z.number().min(0),
    /** Models with no price in the built-in table or `pricing`; their spend is not in the total. */
    unpriced_models: z.array(z.string()),
    max_cost_usd: z.number().nullable(),
    stopped: z.string().optional(),
  })
  .strict();

const configFacts = z
  .object({ name: z.string(), path: z.string(), provider: z.string(), model: z.string(), schema_version: int })
  .strict();

export const BenchReportSchema = z
  .object({
    format_version: z.literal(FORMAT_VERSION),
    run: z
      .object({
        run_id: z.string(),
        started_at: z.string(),
        finished_at: z.string().nullable(),
        duration_ms: z.number().nullable(),
        complete: z.boolean(),
        tool_version: z.string(),
        seed: z.number().int(),
        junk_sample_size: int,
        top_k_predicates: int,
        bootstrap_resamples: int,
        configs: z.object({ baseline: configFacts, candidate: configFacts }).strict(),
        dataset: z.object({ path: z.string(), conversations: int, turns: int }).strict(),
        golden: z.object({ path: z.string(), memories: int }).strict(),
      })
      .strict(),
    judge: JudgeInfoSchema,
    metrics: z.object({ baseline: ConfigMetricsSchema, candidate: ConfigMetricsSchema, delta: DeltasSchema }).strict(),
    vocabulary: VocabularySchema,
    types: TypeChangeSchema,
    pairing: PairingSchema,
    flags: z.array(FlagSchema),
    recommendation: RecommendationSchema,
    gate: GateSchema,
    conversations: z.array(ConversationResultSchema),
    missed: z.array(MissedMemorySchema),
    junk_examples: z.array(JunkExampleSchema),
    errors: z.array(RunErrorEntrySchema),
    /** Null when nothing was judged twice (the heuristic judge is deterministic). */
    judge_noise: JudgeNoiseSchema.nullable(),
    /** Null unless the LLM judge's `pairwise` was on. */
    pairwise: PairwiseSummarySchema.nullable(),
    /** Null when the run made no model calls. */
    model_usage: ModelUsageSummarySchema.nullable(),
  })
  .strict();

export type ConfidenceBucket = z.infer<typeof ConfidenceBucketSchema>;
export type ConfigMetrics = z.infer<typeof ConfigMetricsSchema>;
export type Deltas = z.infer<typeof DeltasSchema>;
export type Vocabulary = z.infer<typeof VocabularySchema>;
export type TypeChange = z.infer<typeof TypeChangeSchema>;
export type Pairing = z.infer<typeof PairingSchema>;
export type Flag = z.infer<typeof FlagSchema>;
export type RecommendationRule = z.infer<typeof RecommendationRuleSchema>;
export type ConfigDiff = z.infer<typeof ConfigDiffSchema>;
export type Recommendation = z.infer<typeof RecommendationSchema>;
export type GateCheck = z.infer<typeof GateCheckSchema>;
export type Gate = z.infer<typeof GateSchema>;
export type ConversationResult = z.infer<typeof ConversationResultSchema>;
export type MissedMemory = z.infer<typeof MissedMemorySchema>;
export type JunkExample = z.infer<typeof JunkExampleSchema>;
export type RunErrorEntry = z.infer<typeof RunErrorEntrySchema>;
export type BenchReport = z.infer<typeof BenchReportSchema>;
export type JudgeNoise = z.infer<typeof JudgeNoiseSchema>;
export type PairwiseSummary = z.infer<typeof PairwiseSummarySchema>;
export type ModelUsageSummary = z.infer<typeof ModelUsageSummarySchema>;
