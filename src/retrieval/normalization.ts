import { suggestScalingFactor } from "../metrics/calibration.js";
import { sortedChanges } from "../metrics/compute-metrics.js";
import { suggestNormalizations } from "../metrics/normalization-suggestions.js";
import type { PairTotals, SideTotals } from "../metrics/run-data.js";
import type { Normalization } from "./stores.js";

/**
 * The normalization `coexist_normalized` applies: the predicate mappings and the confidence factor
 * the report suggests, computed the same way from the run's totals so far.
 */
export function suggestedNormalization(
  sides: Record<"baseline" | "candidate", SideTotals>,
  pairs: PairTotals,
  buckets: number[],
): Normalization & { list: Array<{ from: string; to: string }> } {
  const suggestions = suggestNormalizations(
    { counts: sides.baseline.predicates, facts: sides.baseline.facts },
    { counts: sides.candidate.predicates, facts: sides.candidate.facts },
    sortedChanges(pairs.predicateChanges),
  );
  const list = suggestions.map(({ from, to }) => ({ from, to }));
  const factor = suggestScalingFactor(sides.baseline.confidence, sides.candidate.confidence, buckets);
  return { mappings: new Map(list.map((m) => [m.from, m.to])), factor: factor ?? null, list };
}
