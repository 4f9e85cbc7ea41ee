import { z } from "zod";

const interval = z.tuple([z.number(), z.number()]).nullable();

/** A mixed store's drop in answerable share against the better pure store, read against the margin. */
export const StrategyReadingSchema = z
  .object({
    strategy: z.enum(["coexist", "coexist_normalized", "progressive", "reextract"]),
    /** The pure store compared with: the better of `baseline` and `reextract` by answerable share (for `reextract`: `baseline`). */
    against: z.enum(["baseline", "reextract"]),
    /** Answerable share lost (reference − strategy), a difference of rates, and its 95% paired interval. */
    drop: z.number().nullable(),
    interval,
    /** `safe`: the interval lies wholly at or below the margin; `broken`: wholly above it; else `inconclusive`. */
    reading: z.enum(["safe", "broken", "inconclusive", "not_measured"]),
    /** What it costs: USD of a live re-extraction when estimated; 0 for a strategy that re-extracts nothing; null when not estimated. */
    price_usd: z.number().nullable(),
  })
  .strict();

/** What the simulation says about the strategy, beside the decision table, and which evidence wins. */
export const RetrievalVerdictSchema = z
  .object({
    margin: z.number(),
    readings: z.array(StrategyReadingSchema),
    /** The strategy the measurements point to; null when they do not decide. */
    measured_strategy: z.enum(["coexist", "coexist_normalized", "progressive_rollout", "full_reextraction"]).nullable(),
    table_strategy: z.string(),
    agrees: z.boolean(),
    winner: z.enum(["simulation", "decision_table"]),
    /** The rule applied, in words. */
    rule: z.string(),
    summary: z.string(),
  })
  .strict();

export type StrategyReading = z.infer<typeof StrategyReadingSchema>;
export type RetrievalVerdict = z.infer<typeof RetrievalVerdictSchema>;
