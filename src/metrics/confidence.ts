import type { ConfidenceBucket } from "../schema/report.js";
import { ratio } from "./numbers.js";

/** The confidence the seed's "shift of mass above 0.7" is measured from. */
export const HIGH_CONFIDENCE = 0.7;

/**
 * Counts over buckets [e0, e1), [e1, e2), …, [e(n-1), en]; the last bucket includes its upper edge,
 * so a confidence of exactly 1 is counted.
 */
export function confidenceHistogram(confidences: number[], edges: number[]): ConfidenceBucket[] {
  return summarizeConfidenceCounts(countValues(confidences), edges).histogram;
}

export function summarizeConfidence(confidences: number[], edges: number[]) {
  return summarizeConfidenceCounts(countValues(confidences), edges);
}

/** Value → how many times it occurs. */
export function countValues(values: Iterable<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Histogram, mean, median and share at or above 0.7 of confidences given as value → count. */
export function summarizeConfidenceCounts(counts: Map<number, number>, edges: number[]) {
  const sorted = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((sum, [, count]) => sum + count, 0);
  const buckets = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1]!, count: 0 }));
  let total = 0;
  let high = 0;
  for (const [value, count] of sorted) {
    const index = buckets.findIndex(
      (b, i) => value >= b.from && (value < b.to || (i === buckets.length - 1 && value <= b.to)),
    );
    if (index !== -1) buckets[index]!.count += count;
    total += value * count;
    if (value >= HIGH_CONFIDENCE) high += count;
  }
  return {
    histogram: buckets.map((b) => ({ ...b, share: ratio(b.count, n) })),
    mean: n === 0 ? null : total / n,
    median: medianOfCounts(sorted, n),
    high_share: ratio(high, n),
  };
}

/** The median of sorted (value, count) entries holding n values. */
function medianOfCounts(sorted: Array<[number, number]>, n: number): number | null {
  if (n === 0) return null;
  const nth = (k: number) => {
    let seen = 0;
    for (const [value, count] of sorted) {
      seen += count;
      if (k < seen) return value;
    }
    return sorted[sorted.length - 1]![0];
  };
  const middle = Math.floor(n / 2);
  return n % 2 === 1 ? nth(middle) : (nth(middle - 1) + nth(middle)) / 2;
}
