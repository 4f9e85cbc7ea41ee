import { z } from "zod";
import { RetrievalReportSchema } from "./retrieval-report.js";
import { RetrievalVerdictSchema } from "./retrieval-verdict.js";
import { FIELD_NAMES, MATCH_MODES } from "./constants.js";
import { ThresholdsSchema } from "./bench-config.js";
import { ModelUsageSchema } from "./model-usage.js";
import { RunPhaseSchema } from "./run-phase.js";
import { ConfigRoleSchema, EvidenceTurnSchema, FormatVersionSchema, JudgeInfoSchema } from "./run-log.js";
import { JunkCategorySchema } from "./verdict.js";

const int = z.number().int().min(0);
const ratio = z.number().nullable();
/** 95% confidence interval, [low, high]; null when it cannot be estimated. */
export const IntervalSchema = z.tuple([z.number(), z.number()]).nullable();

export const ConfidenceBucketSchema = z
  .object({ from: z.number(), to: z.number(), count: int, share: ratio })
  .strict();

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
    precision: z.object({ value: ratio, useful: int, judged: int, ci: IntervalSchema, corrected: CorrectedLevelSchema.optional() }).strict(),
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
      .object({ rate: ratio, junk: int, judged: int, conversations: int, by_category: z.record(z.string(), int), ci: IntervalSchema, corrected: CorrectedLevelSchema.optional() })
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

export const McNemarSchema = z
  .object({
    /** Golden memories covered by the baseline only / by the candidate only (paired conversations). */
    baseline_only: int,
    candidate_only: int,
    /** Two-sided exact binomial p-value; null when no memory is covered by one side only. */
    p_value: ratio,
  })
  .strict();

const calibrationBin = z
  .object({ from: z.number(), to: z.number(), count: int, mean_confidence: z.number(), useful_rate: z.number() })
  .strict();

export const SideCalibrationSchema = z
  .object({
    /** Candidates with both a confidence and a usefulness verdict. */
    judged: int,
    /** Fewer judged candidates than a calibration curve needs to be read as more than a hint. */
    indicative_only: z.boolean(),
    /** Reliability table on equal-mass bins of confidence. */
    bins: z.array(calibrationBin),
    /** Expected calibration error over the bins: Σ (n_b / n) · |useful rate − mean confidence|. */
    ece: ratio,
    /** Mean of (confidence − useful)². */
    brier: ratio,
    /** Monotone fit of usefulness on confidence (pool-adjacent-violators): step points. */
    curve: z.array(z.object({ confidence: z.number(), useful_rate: z.number(), count: int }).strict()),
  })
  .strict();

export const CalibrationSchema = z
  .object({
    baseline: SideCalibrationSchema,
    candidate: SideCalibrationSchema,
    /** The confidence_scaling.factor that maps the candidate's confidence distribution onto the baseline's. */
    scaling: z.object({ factor: z.number(), method: z.string() }).strict().nullable(),
    /**
     * What usefulness the calibration is measured against: a heuristic judge's is a proxy (its rules,
     * not a reader's judgement), so its ECE and Brier score are not a measurement of calibration.
     * Absent in older reports. The scaling factor does not use the judge.
     */
    against: z.enum(["heuristic_judge", "llm_judge"]).optional(),
  })
  .strict();

export { FIELD_NAMES, MATCH_MODES };

const fieldScore = z.object({ matched: int, precision: ratio, recall: ratio, f1: ratio }).strict();
const fieldModes = z.object({ strict: fieldScore, exact: fieldScore, partial: fieldScore }).strict();

export const SideFieldScoresSchema = z
  .object({
    /** Candidate–golden pairs of the optimal one-to-one alignment. */
    aligned: int,
    candidates: int,
    golden: int,
    fields: z.object({ subject: fieldModes, predicate: fieldModes, object: fieldModes, type: fieldModes }).strict(),
  })
  .strict();

const fieldDelta = z.object({ strict: ratio, exact: ratio, partial: ratio }).strict();

export const FieldAlignmentSchema = z
  .object({
    baseline: SideFieldScoresSchema,
    candidate: SideFieldScoresSchema,
    /** Candidate − baseline F1 per field and mode. */
    delta: z.object({ subject: fieldDelta, predicate: fieldDelta, object: fieldDelta, type: fieldDelta }).strict(),
    /** Fields no golden memory states: their agreement was not measured (their scores are null), and why. Absent in older reports. */
    not_measured: z.array(z.object({ field: z.enum(FIELD_NAMES), reason: z.string() }).strict()).optional(),
  })
  .strict();

const sideEntities = z
  .object({
    mentions: int,
    fallback: int,
    fail_rate: ratio,
    /** The unresolved mentions seen most often, most frequent first. */
    top_unresolved: z.array(z.object({ mention: z.string(), count: int }).strict()),
  })
  .strict();

export const EntitiesSchema = z
  .object({
    baseline: sideEntities,
    candidate: sideEntities,
    fail_rate_delta: ratio,
    /** Why entity resolution was not measured (fail rates and their change are then null). Absent when it was. */
    not_measured: z.string().optional(),
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
    /**
     * Candidate predicates to map onto baseline ones, ranked by the memories they reconcile:
     * spellings that differ by case or separators, and near-synonyms whose (subject, object) pairs overlap.
     */
    suggestions: z
      .array(z.object({ from: z.string(), to: z.string(), reason: z.enum(["spelling", "renamed", "synonym"]), reconciles: int }).strict()),
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
    /** Per baseline type: how many of its paired facts kept or changed type. */
    moved_by_type: z.array(
      z
        .object({
          type: z.string(),
          pairs: int,
          moved: int,
          share: z.number(),
          to: z.array(z.object({ type: z.string(), count: int }).strict()),
        })
        .strict(),
    ),
  })
  .strict();

export const PairingSchema = z
  .object({
    /** Candidate pairs judged to be the same fact (same evidence, similar object). */
    pairs: int,
    /** How the pairs were made: by overlapping evidence turns, or by subject and object where a candidate cited no evidence. Absent in older reports. */
    by_evidence: int.optional(),
    by_subject_object: int.optional(),
    predicate_changed: int,
    type_changed: int,
    /** Pairs whose subject string differs ("Alice" → "Ms. Alice"), whether or not it resolves to the same entity. */
    subject_text_changed: int,
    /** Pairs whose subjects resolve to different entities: the entity graph no longer joins them. */
    subject_entity_changed: int,
    /** Subject pairs that resolve to different entities, e.g. "Alice" → "alice-chen". */
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

/** What kind of change a config field is: each gets its own label in the config diff. */
export const ChangeKindSchema = z.enum([
  "schema_version",
  "model",
  "prompt",
  "type_rules",
  "sampling",
  "extractor_settings",
  "normalization",
  "scaling",
  "prefilter",
  "dedupe",
  "other",
]);

export const ConfigDiffSchema = z
  .object({
    changed: z.array(z.object({ field: z.string(), kind: ChangeKindSchema, baseline: z.string(), candidate: z.string() }).strict()),
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

const sideSummary = z
  .object({ candidates: int, covered: int, useful: int, error: z.string().optional(), stderr: z.string().optional() })
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

const agreement = z
  .object({
    compared: int,
    disagreements: int,
    /** disagreements / compared: how often two judgements of the same item differ. */
    rate: ratio,
    /** The flip rate of one judgement this disagreement implies (r = 2q(1 − q)); absent in older reports. */
    flip_rate: ratio.optional(),
  })
  .strict();

/** Verdicts that changed when a seeded subset of units was judged a second time (cache bypassed). */
export const JudgeNoiseSchema = z
  .object({
    /** (conversation, config) units judged twice. */
    units: int,
    /** Usefulness verdicts (useful or not) compared, and how many flipped: noise under the precision delta. */
    usefulness: agreement,
    /** Coverage verdicts (covered or not) a model gave both times, and how many flipped: noise under the recall delta. */
    coverage: agreement,
    /** Junk verdicts compared, and how many flipped: noise under the junk delta. Absent in older reports. */
    junk: agreement.optional(),
    /** How levels and intervals are corrected for the flip rates. Absent in older reports. */
    method: z.string().optional(),
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

/** The run's spend as a total that says whether it is whole. */
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
    projected: z.object({ conversations: z.number().min(0), turns: z.number().min(0), tokens: tokenCounts }).strict().nullable(),
    /** USD at list price, live and through the providers' batch APIs (half price); null when unpriced or not measurable. */
    cost_usd: z.object({ live: z.number().min(0), batched: z.number().min(0) }).strict().nullable(),
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

const configFacts = z
  .object({ name: z.string(), path: z.string(), provider: z.string(), model: z.string(), schema_version: int })
  .strict();

export const BenchReportSchema = z
  .object({
    format_version: FormatVersionSchema,
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
        /** Wall time per phase of the last part of the run (a resumed run: the resumed part); empty for older logs. */
        phases: z.array(RunPhaseSchema).default([]),
      })
      .strict(),
    judge: JudgeInfoSchema,
    completeness: CompletenessSchema,
    metrics: z.object({ baseline: ConfigMetricsSchema, candidate: ConfigMetricsSchema, delta: DeltasSchema }).strict(),
    mcnemar: McNemarSchema,
    calibration: CalibrationSchema,
    fields: FieldAlignmentSchema,
    entities: EntitiesSchema,
    vocabulary: VocabularySchema,
    types: TypeChangeSchema,
    pairing: PairingSchema,
    flags: z.array(FlagSchema),
    recommendation: RecommendationSchema,
    gate: GateSchema,
    /** Per-conversation results: every conversation up to 1,000; beyond that the largest changes (see conversation_counts). */
    conversations: z.array(ConversationResultSchema),
    /** How many conversations have results, changed, and failed on either side (format 3). */
    conversation_counts: z.object({ total: int, changed: int, failed: int }).strict().optional(),
    missed: z.array(MissedMemorySchema),
    junk_examples: z.array(JunkExampleSchema),
    errors: z.array(RunErrorEntrySchema),
    /** Null when nothing was judged twice (the heuristic judge is deterministic). */
    judge_noise: JudgeNoiseSchema.nullable().default(null),
    /** Null unless the LLM judge's `pairwise` was on. */
    pairwise: PairwiseSummarySchema.nullable().default(null),
    /** Null when the run made no model calls. */
    model_usage: ModelUsageSummarySchema.nullable().default(null),
    /** Null unless the bench file gives the store's size (`store`). */
    reextraction: ReextractionSchema.nullable().default(null),
    /** Present when human labels were given. */
    agreement: AgreementSchema.optional(),
    /** What each migration strategy does to retrieval; absent when the simulation did not run (or in reports older than it). */
    retrieval: RetrievalReportSchema.optional(),
    /** The SHA-256 the bench seals report.json with (see report-json.ts); not part of the report itself. */
    checksum: z.string().optional(),
  })
  .strict()
  .transform(({ checksum: _checksum, ...report }) => report);

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
export type ReextractionSide = z.infer<typeof ReextractionSideSchema>;
export type Reextraction = z.infer<typeof ReextractionSchema>;
export type DurationBound = z.infer<typeof DurationBoundSchema>;
export type BenchReport = z.infer<typeof BenchReportSchema>;
export type Completeness = z.infer<typeof CompletenessSchema>;
export type McNemar = z.infer<typeof McNemarSchema>;
export type SideCalibration = z.infer<typeof SideCalibrationSchema>;
export type Calibration = z.infer<typeof CalibrationSchema>;
export type SideFieldScores = z.infer<typeof SideFieldScoresSchema>;
export type FieldAlignment = z.infer<typeof FieldAlignmentSchema>;
export type Entities = z.infer<typeof EntitiesSchema>;
export type ChangeKind = z.infer<typeof ChangeKindSchema>;
export type GateCheckStatus = z.infer<typeof GateCheckStatusSchema>;
export type FieldName = (typeof FIELD_NAMES)[number];
export type MatchMode = (typeof MATCH_MODES)[number];
export type JudgeNoise = z.infer<typeof JudgeNoiseSchema>;
export type PairwiseSummary = z.infer<typeof PairwiseSummarySchema>;
export type ModelUsageSummary = z.infer<typeof ModelUsageSummarySchema>;
export type CostTotal = z.infer<typeof CostTotalSchema>;
