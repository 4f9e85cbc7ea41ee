import { z } from "zod";
import { ThresholdsSchema } from "./bench-config.js";
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

export const DisagreementSchema = z
  .object({ role: ConfigRoleSchema, conversation_id: z.string(), text: z.string(), judge: z.string(), human: z.string() })
  .strict();

export const AgreementMeasureSchema = z
  .object({
    /** Candidates both the judge and a human label rated. */
    pairs: int,
    accuracy: ratio,
    /** Cohen's κ; null when it is undefined (no pairs, or both sides constant). */
    kappa: ratio,
    /** The first disagreements; `disagreements_total` counts them all. */
    disagreements: z.array(DisagreementSchema),
    disagreements_total: int,
  })
  .strict();

/** Judge-vs-human agreement, when the bench file names a labels file. */
export const AgreementSchema = z
  .object({
    /** Labels in the file, and how many matched a candidate of this run. */
    labels: int,
    matched: int,
    usefulness: AgreementMeasureSchema,
    junk: AgreementMeasureSchema,
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
    /** Present when human labels were given. */
    agreement: AgreementSchema.optional(),
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
export type Disagreement = z.infer<typeof DisagreementSchema>;
export type AgreementMeasure = z.infer<typeof AgreementMeasureSchema>;
export type Agreement = z.infer<typeof AgreementSchema>;
export type BenchReport = z.infer<typeof BenchReportSchema>;
