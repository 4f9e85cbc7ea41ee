import type { ConfidenceBucket } from "../schema/report.js";
import { mean, median, ratio } from "./numbers.js";

/** The confidence the seed's "shift of mass above 0.7" is measured from. */
export const HIGH_CONFIDENCE = 0.7;

/**
 * Counts over buckets [e0, e1), [e1, e2), …, [e(n-1), en]; the last bucket includes its upper edge,
 * so a confidence of exactly 1 is counted.
 */
export function confidenceHistogram(confidences: number[], edges: number[]): ConfidenceBucket[] {
  const buckets = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1]!, count: 0 }));
  for (const value of confidences) {
    const index = buckets.findIndex((b, i) => value >= b.from && (value < b.to || (i === buckets.length - 1 && value <= b.to)));
    if (index !== -1) buckets[index]!.count++;
  }
  return buckets.map((b) => ({ ...b, share: ratio(b.count, confidences.length) }));
}

export function summarizeConfidence(confidences: number[], edges: number[]) {
  return {
    histogram: confidenceHistogram(confidences, edges),
    mean: mean(confidences),
    median: median(confidences),
    high_share: ratio(confidences.filter((c) => c >= HIGH_CONFIDENCE).length, confidences.length),
  };
}
