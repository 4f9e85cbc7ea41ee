import type { QueryKind, RetrievalRecord, ScopeStrategyCounts, Strategy } from "../schema/retrieval-record.js";
import { excludedBy, type QueryFilters, type StoredMemory } from "../schema/retrieval-store.js";

/** A memory of the store that answers the query, with which of the query's targets (golden ids, turns) it answers. */
export interface RelevantMemory {
  memory: StoredMemory;
  targets: readonly string[];
}

/** One query asked of one store. */
export interface QueryOutcome {
  answerable: boolean;
  recall: number;
  precision: number;
  reciprocalRank: number;
  relevantPresent: number;
  /** Relevant memories a filter excluded: which filter, and the memory's predicate in the store. */
  lost: Array<{ filter: string; predicate: string }>;
  /** Relevant memories of each version, and the ranks of those that surfaced. */
  versions: Record<"baseline" | "candidate", { relevant: number; ranks: number[] }>;
}

/**
 * Score a ranking: answerable (a relevant memory in the top k), recall@k (share of the query's
 * targets answered by the top k), precision@k (relevant memories in the top k / k), reciprocal rank
 * of the first relevant one, and the relevant memories the filters excluded.
 */
export function evaluateQuery(
  ranked: readonly string[],
  relevant: readonly RelevantMemory[],
  filters: QueryFilters | undefined,
  targetCount: number,
  k: number,
): QueryOutcome {
  const rankOf = new Map(ranked.slice(0, k).map((id, i) => [id, i + 1]));
  const answered = new Set<string>();
  let hits = 0;
  let best = Infinity;
  const lost: QueryOutcome["lost"] = [];
  const versions: QueryOutcome["versions"] = {
    baseline: { relevant: 0, ranks: [] },
    candidate: { relevant: 0, ranks: [] },
  };
  for (const { memory, targets } of relevant) {
    const rank = rankOf.get(memory.id);
    versions[memory.version].relevant++;
    if (rank !== undefined) {
      hits++;
      best = Math.min(best, rank);
      for (const target of targets) answered.add(target);
      versions[memory.version].ranks.push(rank);
      continue;
    }
    const filter = excludedBy(memory, filters);
    if (filter) lost.push({ filter, predicate: memory.predicate });
  }
  return {
    answerable: hits > 0,
    recall: targetCount === 0 ? 0 : answered.size / targetCount,
    precision: hits / k,
    reciprocalRank: hits > 0 ? 1 / best : 0,
    relevantPresent: relevant.length,
    lost,
    versions,
  };
}

export function emptyStrategyCounts(mixed: boolean): ScopeStrategyCounts {
  const surfacing = () => ({ relevant: 0, surfaced: 0, rank_sum: 0 });
  return {
    queries: 0,
    answerable: 0,
    recall: 0,
    precision: 0,
    reciprocal_rank: 0,
    by_kind: {},
    failed: 0,
    relevant_present: 0,
    lost: { memories: 0, queries: 0, by_filter: {}, by_predicate: {} },
    ...(mixed ? { skew: { old: surfacing(), new: surfacing() } } : {}),
  };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Add one query's outcome to its store's counts in the scope. */
export function addOutcome(counts: ScopeStrategyCounts, kind: QueryKind, outcome: QueryOutcome): void {
  counts.queries++;
  if (outcome.answerable) counts.answerable++;
  counts.recall += outcome.recall;
  counts.precision += outcome.precision;
  counts.reciprocal_rank += outcome.reciprocalRank;
  const byKind = (counts.by_kind[kind] ??= { queries: 0, answerable: 0 });
  byKind.queries++;
  if (outcome.answerable) byKind.answerable++;
  counts.relevant_present += outcome.relevantPresent;
  counts.lost.memories += outcome.lost.length;
  if (!outcome.answerable && outcome.lost.length > 0) counts.lost.queries++;
  for (const { filter, predicate } of outcome.lost) {
    bump(counts.lost.by_filter, filter);
    bump(counts.lost.by_predicate, predicate);
  }
  if (counts.skew) {
    for (const [version, side] of [
      ["baseline", counts.skew.old],
      ["candidate", counts.skew.new],
    ] as const) {
      const v = outcome.versions[version];
      side.relevant += v.relevant;
      side.surfaced += v.ranks.length;
      side.rank_sum += v.ranks.reduce((sum, rank) => sum + rank, 0);
    }
  }
}

/** Two scopes' counts of the same store, added (a run's scopes, shards merged). */
export function addStrategyCounts(into: ScopeStrategyCounts, from: ScopeStrategyCounts): void {
  into.queries += from.queries;
  into.answerable += from.answerable;
  into.recall += from.recall;
  into.precision += from.precision;
  into.reciprocal_rank += from.reciprocal_rank;
  into.failed += from.failed;
  into.relevant_present += from.relevant_present;
  for (const [kind, c] of Object.entries(from.by_kind) as Array<[QueryKind, { queries: number; answerable: number }]>) {
    const to = (into.by_kind[kind] ??= { queries: 0, answerable: 0 });
    to.queries += c.queries;
    to.answerable += c.answerable;
  }
  into.lost.memories += from.lost.memories;
  into.lost.queries += from.lost.queries;
  for (const [key, n] of Object.entries(from.lost.by_filter))
    into.lost.by_filter[key] = (into.lost.by_filter[key] ?? 0) + n;
  for (const [key, n] of Object.entries(from.lost.by_predicate))
    into.lost.by_predicate[key] = (into.lost.by_predicate[key] ?? 0) + n;
  if (from.skew) {
    into.skew ??= { old: { relevant: 0, surfaced: 0, rank_sum: 0 }, new: { relevant: 0, surfaced: 0, rank_sum: 0 } };
    for (const side of ["old", "new"] as const) {
      into.skew[side].relevant += from.skew[side].relevant;
      into.skew[side].surfaced += from.skew[side].surfaced;
      into.skew[side].rank_sum += from.skew[side].rank_sum;
    }
  }
}

/** Two records of the same scope (shards of one run), added. */
export function mergeScopeRecords(a: RetrievalRecord, b: RetrievalRecord): RetrievalRecord {
  const merged: RetrievalRecord = structuredClone(a);
  merged.position = Math.min(a.position, b.position);
  merged.conversations += b.conversations;
  for (const [strategy, n] of Object.entries(b.from_candidate) as Array<[Strategy, number]>)
    merged.from_candidate[strategy] = (merged.from_candidate[strategy] ?? 0) + n;
  for (const [strategy, counts] of Object.entries(b.strategies) as Array<[Strategy, ScopeStrategyCounts]>) {
    const into = merged.strategies[strategy];
    if (into) addStrategyCounts(into, counts);
    else merged.strategies[strategy] = structuredClone(counts);
  }
  for (const [share, c] of Object.entries(b.sweep ?? {})) {
    merged.sweep ??= {};
    const into = (merged.sweep[share] ??= { queries: 0, answerable: 0 });
    into.queries += c.queries;
    into.answerable += c.answerable;
  }
  merged.examples.push(...b.examples);
  if (b.failure !== undefined) merged.failure ??= b.failure;
  return merged;
}
