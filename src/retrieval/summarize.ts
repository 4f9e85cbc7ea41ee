import { pairedBootstrap, type PairedCounts } from "../metrics/bootstrap.js";
import { ratio, round } from "../metrics/numbers.js";
import type { BenchConfig } from "../schema/bench-config.js";
import {
  STRATEGIES,
  type BrokenQuery,
  type QueryKind,
  type RetrievalRecord,
  type ScopeStrategyCounts,
  type Strategy,
} from "../schema/retrieval-record.js";
import type { Measured, RetrievalReport, StrategyRetrieval } from "../schema/retrieval-report.js";
import { addStrategyCounts, emptyStrategyCounts } from "../metrics/retrieval-counts.js";

/** Broken queries a report shows per strategy; predicates listed in the filter-loss table. */
const EXAMPLES_PER_STRATEGY = 3;
const LOST_PREDICATES = 10;

const METRICS = {
  answerable: (c: ScopeStrategyCounts) => c.answerable,
  recall: (c: ScopeStrategyCounts) => c.recall,
  precision: (c: ScopeStrategyCounts) => c.precision,
  mrr: (c: ScopeStrategyCounts) => c.reciprocal_rank,
} as const;
type MetricName = keyof typeof METRICS;

function roundedInterval(interval: [number, number] | null): [number, number] | null {
  return interval ? [round(interval[0])!, round(interval[1])!] : null;
}

/** Per scope, one store's counts against another's: what the paired bootstrap resamples. */
function pairedRows(
  records: readonly RetrievalRecord[],
  reference: Strategy,
  strategy: Strategy,
  metric: MetricName,
): PairedCounts[] {
  return records.flatMap((record) => {
    const a = record.strategies[reference];
    const b = record.strategies[strategy];
    if (!a || !b) return [];
    return [
      {
        baseline: { numerator: METRICS[metric](a), denominator: a.queries },
        candidate: { numerator: METRICS[metric](b), denominator: b.queries },
      },
    ];
  });
}

function totalOf(records: readonly RetrievalRecord[], strategy: Strategy): ScopeStrategyCounts | undefined {
  let total: ScopeStrategyCounts | undefined;
  for (const record of records) {
    const counts = record.strategies[strategy];
    if (!counts) continue;
    total ??= emptyStrategyCounts(false);
    addStrategyCounts(total, counts);
  }
  return total;
}

function sortedCounts(counts: Record<string, number>, key: "filter" | "predicate", limit = Infinity) {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, limit)
    .map(([name, memories]) => ({ [key]: name, memories })) as Array<{ filter: string; memories: number }> &
    Array<{ predicate: string; memories: number }>;
}

/**
 * What each strategy does to retrieval, over every scope: pooled rates, 95% paired bootstrap
 * intervals over scopes (seeded), and each strategy's differences from the baseline's store and from
 * the fully re-extracted one. Pure: same records, same section.
 */
export function summarizeRetrieval(
  records: readonly RetrievalRecord[],
  bench: BenchConfig,
): RetrievalReport | undefined {
  if (records.length === 0) return undefined;
  const resamples = bench.bootstrap_resamples;
  const seed = bench.seed;
  const level = (strategy: Strategy, metric: MetricName, total: ScopeStrategyCounts): Measured => {
    const value = round(ratio(METRICS[metric](total), total.queries));
    const ci = pairedBootstrap(
      pairedRows(records, strategy, strategy, metric),
      resamples,
      seed,
      `retrieval:${strategy}:${metric}`,
    ).candidate;
    return { value, ci: roundedInterval(ci) };
  };
  const versus = (reference: Strategy, strategy: Strategy, metric: MetricName): Measured => {
    const rows = pairedRows(records, reference, strategy, metric);
    if (rows.length === 0) return { value: null, ci: null };
    const sum = (side: "baseline" | "candidate", part: "numerator" | "denominator") =>
      rows.reduce((s, r) => s + r[side][part], 0);
    const a = ratio(sum("baseline", "numerator"), sum("baseline", "denominator"));
    const b = ratio(sum("candidate", "numerator"), sum("candidate", "denominator"));
    const value = a === null || b === null ? null : round(b - a);
    if (reference === strategy) return { value, ci: [0, 0], se: 0 };
    const result = pairedBootstrap(rows, resamples, seed, `retrieval:${strategy}:${metric}:vs:${reference}`);
    return { value, ci: roundedInterval(result.delta), se: round(result.se) };
  };
  const comparison = (reference: Strategy, strategy: Strategy) => ({
    answerable: versus(reference, strategy, "answerable"),
    recall: versus(reference, strategy, "recall"),
    precision: versus(reference, strategy, "precision"),
    mrr: versus(reference, strategy, "mrr"),
  });
  const strategies: StrategyRetrieval[] = [];
  for (const strategy of STRATEGIES) {
    const total = totalOf(records, strategy);
    if (!total) continue;
    const skew = records.reduce<ScopeStrategyCounts["skew"]>((acc, r) => {
      const s = r.strategies[strategy]?.skew;
      if (!s) return acc;
      const into = acc ?? {
        old: { relevant: 0, surfaced: 0, rank_sum: 0 },
        new: { relevant: 0, surfaced: 0, rank_sum: 0 },
      };
      for (const side of ["old", "new"] as const) {
        into[side].relevant += s[side].relevant;
        into[side].surfaced += s[side].surfaced;
        into[side].rank_sum += s[side].rank_sum;
      }
      return into;
    }, undefined);
    const surfacing = (side: { relevant: number; surfaced: number; rank_sum: number }) => ({
      relevant: side.relevant,
      surfaced: round(ratio(side.surfaced, side.relevant)),
      mean_rank: round(ratio(side.rank_sum, side.surfaced), 2),
    });
    strategies.push({
      strategy,
      queries: total.queries,
      failed: total.failed,
      from_candidate: records.reduce((sum, r) => sum + (r.from_candidate[strategy] ?? 0), 0),
      answerable: level(strategy, "answerable", total),
      recall: level(strategy, "recall", total),
      precision: level(strategy, "precision", total),
      mrr: level(strategy, "mrr", total),
      by_kind: Object.fromEntries(
        (Object.entries(total.by_kind) as Array<[QueryKind, { queries: number; answerable: number }]>).map(
          ([kind, c]) => [kind, { queries: c.queries, answerable: round(ratio(c.answerable, c.queries)) }],
        ),
      ),
      vs_baseline: comparison("baseline", strategy),
      vs_reextract: comparison("reextract", strategy),
      lost: {
        memories: total.lost.memories,
        share: round(ratio(total.lost.memories, total.relevant_present)),
        queries: total.lost.queries,
        by_filter: sortedCounts(total.lost.by_filter, "filter"),
        by_predicate: sortedCounts(total.lost.by_predicate, "predicate", LOST_PREDICATES),
      },
      ...(skew ? { skew: { old: surfacing(skew.old), new: surfacing(skew.new) } } : {}),
    });
  }
  const sweepTotals = new Map<number, { queries: number; answerable: number }>();
  for (const record of records) {
    for (const [share, c] of Object.entries(record.sweep ?? {})) {
      const into = sweepTotals.get(Number(share)) ?? { queries: 0, answerable: 0 };
      into.queries += c.queries;
      into.answerable += c.answerable;
      sweepTotals.set(Number(share), into);
    }
  }
  const coexist = totalOf(records, "coexist");
  if (coexist)
    sweepTotals.set(bench.retrieval.coexist_share, { queries: coexist.queries, answerable: coexist.answerable });
  const examples: BrokenQuery[] = [];
  for (const strategy of STRATEGIES)
    examples.push(
      ...records.flatMap((r) => r.examples.filter((e) => e.strategy === strategy)).slice(0, EXAMPLES_PER_STRATEGY),
    );
  const baseline = totalOf(records, "baseline");
  return {
    retriever: records[0]!.retriever,
    k: bench.retrieval.k,
    query_source: bench.queries ? "file" : "derived",
    scopes: records.length,
    queries: baseline?.queries ?? strategies[0]?.queries ?? 0,
    coexist_share: bench.retrieval.coexist_share,
    rollout_percent: bench.retrieval.rollout_percent,
    normalization: records[0]!.normalization,
    strategies,
    sweep: [...sweepTotals.entries()]
      .sort(([a], [b]) => a - b)
      .map(([share, c]) => ({ share, queries: c.queries, answerable: round(ratio(c.answerable, c.queries)) })),
    examples,
  };
}
