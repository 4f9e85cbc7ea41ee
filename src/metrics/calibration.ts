import type { SideCalibration } from "../schema/report.js";

/** Below this many judged candidates a calibration curve is a hint, not a measurement. */
export const MIN_CALIBRATION_SAMPLE = 300;
/** Equal-mass bins of the reliability table. */
export const CALIBRATION_BINS = 10;

export interface ConfidencePoint {
  confidence: number;
  /** The judge rated the candidate useful (4–5). */
  useful: boolean;
}

/**
 * Reliability table on equal-mass bins: points sorted by confidence and cut into `bins` groups of
 * (nearly) equal size, ties kept together so a bin's range never overlaps the next one's.
 */
export function reliabilityBins(points: ConfidencePoint[], bins = CALIBRATION_BINS): SideCalibration["bins"] {
  const sorted = [...points].sort((a, b) => a.confidence - b.confidence);
  const out: SideCalibration["bins"] = [];
  let start = 0;
  for (let b = 0; b < bins && start < sorted.length; b++) {
    let end = Math.round(((b + 1) * sorted.length) / bins);
    if (end <= start) continue;
    while (end < sorted.length && sorted[end]!.confidence === sorted[end - 1]!.confidence) end++;
    const slice = sorted.slice(start, end);
    out.push({
      from: slice[0]!.confidence,
      to: slice[slice.length - 1]!.confidence,
      count: slice.length,
      mean_confidence: slice.reduce((sum, p) => sum + p.confidence, 0) / slice.length,
      useful_rate: slice.filter((p) => p.useful).length / slice.length,
    });
    start = end;
  }
  return out;
}

/**
 * Pool-adjacent-violators: the non-decreasing step function of usefulness on confidence that is
 * closest in squared error (isotonic regression). One point per distinct confidence, then pooled.
 */
export function isotonicFit(points: ConfidencePoint[]): SideCalibration["curve"] {
  const byConfidence = new Map<number, { useful: number; count: number }>();
  for (const p of points) {
    const entry = byConfidence.get(p.confidence) ?? { useful: 0, count: 0 };
    entry.useful += p.useful ? 1 : 0;
    entry.count++;
    byConfidence.set(p.confidence, entry);
  }
  const blocks: Array<{ confidence: number; sum: number; count: number }> = [];
  for (const [confidence, { useful, count }] of [...byConfidence.entries()].sort((a, b) => a[0] - b[0])) {
    blocks.push({ confidence, sum: useful, count });
    // Merge backwards while the block before has a higher mean than the last one.
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const before = blocks[blocks.length - 2]!;
      if (before.sum / before.count <= last.sum / last.count) break;
      blocks.splice(blocks.length - 2, 2, {
        confidence: (before.confidence * before.count + last.confidence * last.count) / (before.count + last.count),
        sum: before.sum + last.sum,
        count: before.count + last.count,
      });
    }
  }
  return blocks.map((b) => ({ confidence: b.confidence, useful_rate: b.sum / b.count, count: b.count }));
}

/** Calibration of one config: confidence against the judge's usefulness. */
export function computeCalibration(points: ConfidencePoint[]): SideCalibration {
  const bins = reliabilityBins(points);
  const n = points.length;
  const ece = n === 0 ? null : bins.reduce((sum, b) => sum + (b.count / n) * Math.abs(b.useful_rate - b.mean_confidence), 0);
  const brier = n === 0 ? null : points.reduce((sum, p) => sum + (p.confidence - (p.useful ? 1 : 0)) ** 2, 0) / n;
  return { judged: n, indicative_only: n < MIN_CALIBRATION_SAMPLE, bins, ece, brier, curve: isotonicFit(points) };
}

export const SCALING_METHOD =
  "histogram match: the factor (in steps of 0.01) whose scaled confidences fill the confidence buckets most like the baseline's (least squares over bucket shares), ties broken by the closer mean";

const MAX_FACTOR_STEPS = 300;

/** Shares of `values` in the buckets [e0, e1), …, [e(n-1), en]. */
function bucketShares(values: number[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const value of values) {
    let i = 0;
    while (i < counts.length - 1 && value >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts.map((c) => c / values.length);
}

/**
 * The one multiplicative factor that maps the candidate's confidence distribution onto the
 * baseline's, as the bench measures distributions: over the configured confidence buckets. A
 * retrieval threshold sits at a bucket edge, so mass on the right side of each edge is what must
 * match; a factor matching only the means can leave a cliff at 0.7. Scaled values are clamped to
 * [0, 1] as confidence scaling does. Undefined when either side has no confidence.
 */
export function suggestScalingFactor(baseline: number[], candidate: number[], edges: number[]): number | undefined {
  if (baseline.length === 0 || candidate.length === 0) return undefined;
  const target = bucketShares(baseline, edges);
  const targetMean = baseline.reduce((sum, v) => sum + v, 0) / baseline.length;
  let best: { factor: number; distance: number; meanGap: number } | undefined;
  for (let step = 1; step <= MAX_FACTOR_STEPS; step++) {
    const factor = step / 100;
    const scaled = candidate.map((c) => Math.min(1, c * factor));
    const shares = bucketShares(scaled, edges);
    const distance = Math.round(shares.reduce((sum, share, i) => sum + (share - target[i]!) ** 2, 0) * 1e12);
    const meanGap = Math.abs(scaled.reduce((sum, v) => sum + v, 0) / scaled.length - targetMean);
    if (!best || distance < best.distance || (distance === best.distance && meanGap < best.meanGap)) best = { factor, distance, meanGap };
  }
  return best!.factor;
}
