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

/** Judged candidates per confidence value, and how many of them the judge rated useful. */
export type CalibrationCounts = Map<number, { useful: number; count: number }>;

export function calibrationCounts(points: ConfidencePoint[]): CalibrationCounts {
  const counts: CalibrationCounts = new Map();
  for (const p of points) {
    const entry = counts.get(p.confidence) ?? { useful: 0, count: 0 };
    entry.useful += p.useful ? 1 : 0;
    entry.count++;
    counts.set(p.confidence, entry);
  }
  return counts;
}

function sortedCounts(counts: CalibrationCounts): Array<{ confidence: number; useful: number; count: number }> {
  return [...counts.entries()]
    .map(([confidence, entry]) => ({ confidence, ...entry }))
    .sort((a, b) => a.confidence - b.confidence);
}

/**
 * Reliability table on equal-mass bins: points sorted by confidence and cut into `bins` groups of
 * (nearly) equal size, ties kept together so a bin's range never overlaps the next one's.
 */
export function reliabilityBins(
  points: ConfidencePoint[] | CalibrationCounts,
  bins = CALIBRATION_BINS,
): SideCalibration["bins"] {
  const values = sortedCounts(Array.isArray(points) ? calibrationCounts(points) : points);
  const n = values.reduce((sum, v) => sum + v.count, 0);
  const out: SideCalibration["bins"] = [];
  let start = 0; // points before the current bin
  let next = 0; // index of the first value not yet binned
  for (let b = 0; b < bins && next < values.length; b++) {
    const end = Math.round(((b + 1) * n) / bins);
    if (end <= start) continue;
    // Take whole values (ties stay together) until the bin reaches its cut.
    let count = 0,
      useful = 0,
      sum = 0;
    const first = next;
    while (next < values.length && start + count < end) {
      const v = values[next++]!;
      count += v.count;
      useful += v.useful;
      sum += v.confidence * v.count;
    }
    out.push({
      from: values[first]!.confidence,
      to: values[next - 1]!.confidence,
      count,
      mean_confidence: sum / count,
      useful_rate: useful / count,
    });
    start += count;
  }
  return out;
}

/**
 * Pool-adjacent-violators: the non-decreasing step function of usefulness on confidence that is
 * closest in squared error (isotonic regression). One point per distinct confidence, then pooled.
 */
export function isotonicFit(points: ConfidencePoint[] | CalibrationCounts): SideCalibration["curve"] {
  const blocks: Array<{ confidence: number; sum: number; count: number }> = [];
  for (const { confidence, useful, count } of sortedCounts(
    Array.isArray(points) ? calibrationCounts(points) : points,
  )) {
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
export function computeCalibration(points: ConfidencePoint[] | CalibrationCounts): SideCalibration {
  const counts = Array.isArray(points) ? calibrationCounts(points) : points;
  const bins = reliabilityBins(counts);
  let n = 0;
  let squared = 0;
  for (const [confidence, { useful, count }] of counts) {
    n += count;
    squared += useful * (confidence - 1) ** 2 + (count - useful) * confidence ** 2;
  }
  const ece =
    n === 0 ? null : bins.reduce((sum, b) => sum + (b.count / n) * Math.abs(b.useful_rate - b.mean_confidence), 0);
  const brier = n === 0 ? null : squared / n;
  return { judged: n, indicative_only: n < MIN_CALIBRATION_SAMPLE, bins, ece, brier, curve: isotonicFit(counts) };
}

export const SCALING_METHOD =
  "histogram match: the factor (in steps of 0.01) whose scaled confidences fill the confidence buckets most like the baseline's (least squares over bucket shares), ties broken by the closer mean";

const MAX_FACTOR_STEPS = 300;

/** Shares of the values (value → count) in the buckets [e0, e1), …, [e(n-1), en], after scaling by `factor` (clamped to 1). */
function bucketShares(values: Array<[number, number]>, n: number, edges: number[], factor = 1): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const [raw, count] of values) {
    const value = factor === 1 ? raw : Math.min(1, raw * factor);
    let i = 0;
    while (i < counts.length - 1 && value >= edges[i + 1]!) i++;
    counts[i]! += count;
  }
  return counts.map((c) => c / n);
}

function asCounts(values: number[] | Map<number, number>): Array<[number, number]> {
  if (!Array.isArray(values)) return [...values.entries()];
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()];
}

/**
 * The one multiplicative factor that maps the candidate's confidence distribution onto the
 * baseline's, as the bench measures distributions: over the configured confidence buckets. A
 * retrieval threshold sits at a bucket edge, so mass on the right side of each edge is what must
 * match; a factor matching only the means can leave a cliff at 0.7. Scaled values are clamped to
 * [0, 1] as confidence scaling does. Undefined when either side has no confidence. Values may be
 * given as value → count.
 */
export function suggestScalingFactor(
  baseline: number[] | Map<number, number>,
  candidate: number[] | Map<number, number>,
  edges: number[],
): number | undefined {
  const a = asCounts(baseline).sort((x, y) => x[0] - y[0]);
  const b = asCounts(candidate).sort((x, y) => x[0] - y[0]);
  const na = a.reduce((sum, [, count]) => sum + count, 0);
  const nb = b.reduce((sum, [, count]) => sum + count, 0);
  if (na === 0 || nb === 0) return undefined;
  const target = bucketShares(a, na, edges);
  const targetMean = a.reduce((sum, [value, count]) => sum + value * count, 0) / na;
  let best: { factor: number; distance: number; meanGap: number } | undefined;
  for (let step = 1; step <= MAX_FACTOR_STEPS; step++) {
    const factor = step / 100;
    const shares = bucketShares(b, nb, edges, factor);
    const distance = Math.round(shares.reduce((sum, share, i) => sum + (share - target[i]!) ** 2, 0) * 1e12);
    const meanGap = Math.abs(
      b.reduce((sum, [value, count]) => sum + Math.min(1, value * factor) * count, 0) / nb - targetMean,
    );
    if (!best || distance < best.distance || (distance === best.distance && meanGap < best.meanGap))
      best = { factor, distance, meanGap };
  }
  return best!.factor;
}
