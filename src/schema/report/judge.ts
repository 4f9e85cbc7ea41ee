import { z } from "zod";
import { ConfigRoleSchema } from "../run-log.js";
import { int, ratio } from "./numbers.js";

// How far the judge can be trusted: its noise, the pairwise comparison, and its agreement with human labels.

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

export const DisagreementSchema = z
  .object({
    role: ConfigRoleSchema,
    conversation_id: z.string(),
    text: z.string(),
    judge: z.string(),
    human: z.string(),
  })
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
    /**
     * Why the other labels matched nothing: their conversation is not in this run, or no candidate of
     * it has their text. Absent in reports written before it was counted.
     */
    unmatched: z.object({ conversation_not_in_run: int, text_not_extracted: int }).strict().optional(),
    usefulness: AgreementMeasureSchema,
    junk: AgreementMeasureSchema,
  })
  .strict();

export type Disagreement = z.infer<typeof DisagreementSchema>;
export type AgreementMeasure = z.infer<typeof AgreementMeasureSchema>;
export type Agreement = z.infer<typeof AgreementSchema>;
export type JudgeNoise = z.infer<typeof JudgeNoiseSchema>;
export type PairwiseSummary = z.infer<typeof PairwiseSummarySchema>;
