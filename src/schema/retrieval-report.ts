import { z } from "zod";
import { BrokenQuerySchema, QueryKindSchema, StrategySchema } from "./retrieval-record.js";

const count = z.number().int().min(0);
const interval = z.tuple([z.number(), z.number()]).nullable();

/** A rate with its 95% bootstrap interval over scopes; null when nothing was measured. */
const MeasuredSchema = z
  .object({
    value: z.number().nullable(),
    ci: interval,
    /** Bootstrap standard error of a difference, which sizes how many scopes would decide it. */
    se: z.number().nullable().optional(),
  })
  .strict();

/** One strategy against a reference store: differences of rates (strategy − reference), with paired intervals over scopes. */
const ComparisonSchema = z
  .object({
    answerable: MeasuredSchema,
    recall: MeasuredSchema,
    precision: MeasuredSchema,
    mrr: MeasuredSchema,
  })
  .strict();

const SurfacingSchema = z
  .object({
    /** Relevant memories of this version present in the store, summed over queries. */
    relevant: count,
    /** Share of them in the top k. */
    surfaced: z.number().nullable(),
    /** Mean rank (1 = first) of those that surfaced. */
    mean_rank: z.number().nullable(),
  })
  .strict();

export const StrategyRetrievalSchema = z
  .object({
    strategy: StrategySchema,
    /** Queries answered, and searches the retriever failed (left out of every rate). */
    queries: count,
    failed: count,
    /** Conversations whose memories came from the candidate, over every scope. */
    from_candidate: count,
    answerable: MeasuredSchema,
    recall: MeasuredSchema,
    precision: MeasuredSchema,
    mrr: MeasuredSchema,
    /** Answerable share per query kind. */
    by_kind: z.partialRecord(QueryKindSchema, z.object({ queries: count, answerable: z.number().nullable() }).strict()),
    vs_baseline: ComparisonSchema,
    vs_reextract: ComparisonSchema,
    lost: z
      .object({
        /** Relevant memories present in the store but excluded by a filter (summed over queries), and their share of the relevant ones present. */
        memories: count,
        share: z.number().nullable(),
        /** Queries left unanswered because of it. */
        queries: count,
        by_filter: z.array(z.object({ filter: z.string(), memories: count }).strict()),
        by_predicate: z.array(z.object({ predicate: z.string(), memories: count }).strict()),
      })
      .strict(),
    /** Mixed stores only: how relevant memories of the old and new versions surface. */
    skew: z.object({ old: SurfacingSchema, new: SurfacingSchema }).strict().optional(),
  })
  .strict();

/** What each migration strategy does to retrieval: the simulated stores searched with the same queries. */
export const RetrievalReportSchema = z
  .object({
    retriever: z.string(),
    k: z.number().int().min(1),
    /** `file`: the bench file's queries; `derived`: one filtered lookup and one text query per sampled golden memory (a proxy). */
    query_source: z.enum(["file", "derived"]),
    scopes: count,
    /** Queries asked of each store. */
    queries: count,
    coexist_share: z.number(),
    rollout_percent: z.number(),
    /** What `coexist_normalized` applied: the suggested predicate mappings and confidence factor. */
    normalization: z
      .object({
        mappings: z.array(z.object({ from: z.string(), to: z.string() }).strict()),
        factor: z.number().nullable(),
      })
      .strict(),
    strategies: z.array(StrategyRetrievalSchema),
    /** `coexist`'s answerable share at other candidate shares. */
    sweep: z.array(z.object({ share: z.number(), queries: count, answerable: z.number().nullable() }).strict()),
    /** Up to three queries per strategy that its store broke. */
    examples: z.array(BrokenQuerySchema),
  })
  .strict();

export type StrategyRetrieval = z.infer<typeof StrategyRetrievalSchema>;
export type RetrievalReport = z.infer<typeof RetrievalReportSchema>;
export type Measured = z.infer<typeof MeasuredSchema>;
