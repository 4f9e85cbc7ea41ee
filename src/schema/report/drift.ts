import { z } from "zod";
import { FIELD_NAMES, MATCH_MODES } from "../constants.js";
import { int, ratio } from "./numbers.js";

// What moved between the two configs: coverage discordance, calibration, field agreement, entities, vocabulary, types, pairs.

export { FIELD_NAMES, MATCH_MODES };

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
    suggestions: z.array(
      z
        .object({
          from: z.string(),
          to: z.string(),
          reason: z.enum(["spelling", "renamed", "synonym"]),
          reconciles: int,
        })
        .strict(),
    ),
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

export type Vocabulary = z.infer<typeof VocabularySchema>;
export type TypeChange = z.infer<typeof TypeChangeSchema>;
export type Pairing = z.infer<typeof PairingSchema>;
export type McNemar = z.infer<typeof McNemarSchema>;
export type SideCalibration = z.infer<typeof SideCalibrationSchema>;
export type Calibration = z.infer<typeof CalibrationSchema>;
export type SideFieldScores = z.infer<typeof SideFieldScoresSchema>;
export type FieldAlignment = z.infer<typeof FieldAlignmentSchema>;
export type Entities = z.infer<typeof EntitiesSchema>;
export type FieldName = (typeof FIELD_NAMES)[number];
export type MatchMode = (typeof MATCH_MODES)[number];
