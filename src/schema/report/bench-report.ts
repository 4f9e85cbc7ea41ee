import { z } from "zod";
import { RetrievalReportSchema } from "../retrieval-report.js";
import { FormatVersionSchema, JudgeInfoSchema } from "../run-log.js";
import { RunPhaseSchema } from "../run-phase.js";
import { ModelUsageSummarySchema, ReextractionSchema } from "./cost.js";
import { FlagSchema, GateSchema, RecommendationSchema } from "./decision.js";
import {
  CalibrationSchema,
  EntitiesSchema,
  FieldAlignmentSchema,
  McNemarSchema,
  PairingSchema,
  TypeChangeSchema,
  VocabularySchema,
} from "./drift.js";
import { ConversationResultSchema, JunkExampleSchema, MissedMemorySchema, RunErrorEntrySchema } from "./examples.js";
import { AgreementSchema, JudgeNoiseSchema, PairwiseSummarySchema } from "./judge.js";
import { CompletenessSchema, ConfigMetricsSchema, DeltasSchema } from "./measures.js";
import { int } from "./numbers.js";

// report.json: the whole report, with its format version, made of the sections of the other files.

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

export type BenchReport = z.infer<typeof BenchReportSchema>;
