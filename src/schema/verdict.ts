import { z } from "zod";

export const JunkCategorySchema = z.enum([
  "about_assistant",
  "restated_instructions",
  "tool_dump",
  "chit_chat",
  "over_broad",
  "hallucinated",
  "no_context",
  "duplicate",
  "other",
]);

export const CoverageVerdictSchema = z
  .object({
    golden_id: z.string(),
    covered: z.boolean(),
    /** Indexes into the dry run's candidates that cover the golden memory (a judge may list only the best of many). */
    candidate_indexes: z.array(z.number().int().min(0)),
    /** How many candidates cover the golden memory, when more do than `candidate_indexes` lists. */
    candidates_covering: z.number().int().min(0).optional(),
    /** Similarity of the best candidate (0–1); an LLM judge's 0 / 1 / 2 scaled to 0, 0.5, 1. */
    score: z.number().min(0).max(1),
    method: z.enum(["evidence+lexical", "lexical", "none", "llm"]),
    /** A candidate states part of the golden memory (an LLM judge's score 1): reported apart, not counted as covered. */
    partial: z.boolean().optional(),
  })
  .strict();

export const UsefulnessVerdictSchema = z
  .object({
    candidate_index: z.number().int().min(0),
    rating: z.number().int().min(1).max(5),
    /** Rating 4 or 5. */
    useful: z.boolean(),
    reason: z.string(),
  })
  .strict();

export const JunkVerdictSchema = z
  .object({
    candidate_index: z.number().int().min(0),
    junk: z.boolean(),
    category: JunkCategorySchema.nullable(),
    reason: z.string(),
  })
  .strict();

export const PairwiseChoiceSchema = z.enum(["baseline", "candidate", "tie"]);

/** One conversation's two candidate sets compared, judged in both presentation orders. */
export const PairwiseVerdictSchema = z
  .object({
    /** The better config when both orders agree; `tie` when they disagree or both said tie. */
    winner: PairwiseChoiceSchema,
    /** Both orders named the same winner (a tie included). */
    consistent: z.boolean(),
    /** Baseline shown first. */
    first: PairwiseChoiceSchema,
    /** Candidate shown first. */
    second: PairwiseChoiceSchema,
    reason: z.string(),
  })
  .strict();

export type JunkCategory = z.infer<typeof JunkCategorySchema>;
export type CoverageVerdict = z.infer<typeof CoverageVerdictSchema>;
export type UsefulnessVerdict = z.infer<typeof UsefulnessVerdictSchema>;
export type JunkVerdict = z.infer<typeof JunkVerdictSchema>;
export type PairwiseChoice = z.infer<typeof PairwiseChoiceSchema>;
export type PairwiseVerdict = z.infer<typeof PairwiseVerdictSchema>;
