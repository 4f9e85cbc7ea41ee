import { z } from "zod";

const count = z.number().int().min(0);
/** A sum of per-query values (recall, precision, reciprocal rank), each in [0, 1]. */
const sum = z.number().min(0);

/** The strategies the simulation builds a store for, in report order. */
export const STRATEGIES = ["baseline", "reextract", "coexist", "coexist_normalized", "progressive"] as const;
export const StrategySchema = z.enum(STRATEGIES);

/** Where a query came from: a queries file, or derived from a golden memory (a filtered lookup, or its words alone). */
export const QUERY_KINDS = ["file", "lookup", "text"] as const;
export const QueryKindSchema = z.enum(QUERY_KINDS);

/** Relevant memories of one version in a mixed store: present, surfaced in the top k, and the sum of their ranks there. */
const VersionSurfacingSchema = z.object({ relevant: count, surfaced: count, rank_sum: count }).strict();

/** One strategy's store in one scope, every query asked: counts that add up across scopes. */
export const ScopeStrategyCountsSchema = z
  .object({
    /** Queries answered by the retriever (failed searches are counted apart). */
    queries: count,
    /** Queries with a relevant memory in the top k. */
    answerable: count,
    recall: sum,
    precision: sum,
    reciprocal_rank: sum,
    by_kind: z.partialRecord(QueryKindSchema, z.object({ queries: count, answerable: count }).strict()),
    /** Searches the retriever failed: a failed unit of its own kind, never a zero. */
    failed: count,
    /** Relevant memories in the store, summed over queries; those a filter excluded, by filter and by the memory's predicate. */
    relevant_present: count,
    lost: z
      .object({
        memories: count,
        /** Queries that had a relevant memory in the store and returned none of them, a filter having excluded one. */
        queries: count,
        by_filter: z.record(z.string(), count),
        by_predicate: z.record(z.string(), count),
      })
      .strict(),
    /** Mixed stores only: relevant memories of each version and how they surface. */
    skew: z.object({ old: VersionSurfacingSchema, new: VersionSurfacingSchema }).strict().optional(),
  })
  .strict();

/** A query a strategy's store broke: the baseline's store answered it, this one did not. */
export const BrokenQuerySchema = z
  .object({
    strategy: StrategySchema,
    query_id: z.string(),
    kind: QueryKindSchema,
    text: z.string(),
    filters: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    /** What each store returned (memory texts, best first, at most 3). */
    baseline: z.array(z.string()),
    returned: z.array(z.string()),
    /** Why the store's relevant memories did not surface, when a filter excluded them. */
    excluded_by: z.array(z.string()).optional(),
  })
  .strict();

/** The simulation's measurements of one scope (a namespace), one record per scope in the run log. */
export const RetrievalRecordSchema = z
  .object({
    kind: z.literal("retrieval"),
    scope: z.string(),
    /** Dataset position of the scope's first conversation: reports list scopes in dataset order. */
    position: z.number().int().min(0),
    retriever: z.string(),
    /** What `coexist_normalized` applied: the run's suggested predicate mappings and confidence factor. */
    normalization: z
      .object({
        mappings: z.array(z.object({ from: z.string(), to: z.string() }).strict()),
        factor: z.number().nullable(),
      })
      .strict(),
    conversations: count,
    /** Conversations of the scope whose memories came from the candidate, per mixed strategy. */
    from_candidate: z.partialRecord(StrategySchema, count),
    strategies: z.partialRecord(StrategySchema, ScopeStrategyCountsSchema),
    /** Answerable share of `coexist` at other candidate shares (the sweep), by share. */
    sweep: z.record(z.string(), z.object({ queries: count, answerable: count }).strict()).optional(),
    examples: z.array(BrokenQuerySchema),
    /** The first search the retriever failed in this scope, when one did. */
    failure: z.string().optional(),
  })
  .strict();

export type Strategy = z.infer<typeof StrategySchema>;
export type QueryKind = z.infer<typeof QueryKindSchema>;
export type ScopeStrategyCounts = z.infer<typeof ScopeStrategyCountsSchema>;
export type BrokenQuery = z.infer<typeof BrokenQuerySchema>;
export type RetrievalRecord = z.infer<typeof RetrievalRecordSchema>;
