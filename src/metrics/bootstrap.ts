import { correctCount, drawFlipRate, type RepeatCounts } from "./judge-noise.js";
import { createRng, deriveSeed } from "./random.js";

/** One config's counts of a ratio metric in one conversation (e.g. useful / judged). */
export interface SideCounts {
  numerator: number;
  denominator: number;
  /**
   * The verdicts among them that a judge's model gave, and how many were positive: the ones its noise
   * can flip. Absent when none were (a deterministic judge, or counts no judge made).
   */
  noisy?: { positive: number; judged: number };
}

/** Per-conversation counts of a ratio metric for both configs. */
export interface PairedCounts {
  baseline: SideCounts;
  candidate: SideCounts;
}

export interface PairedInterval {
  baseline: [number, number] | null;
  candidate: [number, number] | null;
  delta: [number, number] | null;
  /** Standard deviation of the resampled deltas: the delta's bootstrap standard error; null without a delta. */
  se: number | null;
}

/** The intervals, and when the judge's noise was measured, the same for the levels corrected for it. */
export interface BootstrapResult extends PairedInterval {
  /** Present when `flips` were given: the levels and delta corrected for the judge's flip rate, the noise carried in. */
  corrected?: PairedInterval;
}

/**
 * Both configs' pooled ratios and their difference, corrected for a flip rate when one is given (see
 * judge-noise.ts); `judged` and `denominator` per side say what the correction and the noise spread rest on.
 */
export function pooledChange(
  rows: PairedCounts[],
  flipRate = 0,
): {
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  sides: Record<"baseline" | "candidate", { denominator: number; judged: number }>;
} {
  const pooled = (role: "baseline" | "candidate") => {
    let numerator = 0,
      denominator = 0,
      positive = 0,
      judged = 0;
    for (const row of rows) {
      numerator += row[role].numerator;
      denominator += row[role].denominator;
      positive += row[role].noisy?.positive ?? 0;
      judged += row[role].noisy?.judged ?? 0;
    }
    return { numerator, denominator, positive, judged };
  };
  const a = pooled("baseline");
  const b = pooled("candidate");
  return {
    ...correctedLevels(a, b, flipRate),
    sides: {
      baseline: { denominator: a.denominator, judged: a.judged },
      candidate: { denominator: b.denominator, judged: b.judged },
    },
  };
}

/** Candidate − baseline: the delta of two rates. */
export function difference(baseline: number, candidate: number): number {
  return candidate - baseline;
}

/** Candidate / baseline − 1: a relative change; undefined from a baseline of 0. */
export function relativeChange(baseline: number, candidate: number): number | null {
  return baseline === 0 ? null : candidate / baseline - 1;
}

function percentileOfSorted(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** The 95% percentile interval of `values` (sorted in place). */
function interval(values: Float64Array): [number, number] | null {
  if (values.length === 0) return null;
  const sorted = values.sort();
  return [percentileOfSorted(sorted, 0.025), percentileOfSorted(sorted, 0.975)];
}

function standardDeviation(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}

/** The replicates of one side's level (or of the change), in a typed array of one slot per resample. */
class Series {
  private readonly values: Float64Array;
  private length = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }
  push(value: number): void {
    this.values[this.length++] = value;
  }
  get filled(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

class Replicates {
  private readonly base: Series;
  private readonly cand: Series;
  private readonly delta: Series;
  constructor(
    resamples: number,
    private readonly compare: (baseline: number, candidate: number) => number | null,
  ) {
    this.base = new Series(resamples);
    this.cand = new Series(resamples);
    this.delta = new Series(resamples);
  }

  add(an: number, ad: number, bn: number, bd: number): void {
    this.addLevels(ad > 0 ? an / ad : null, bd > 0 ? bn / bd : null);
  }

  /** Both levels, and the change between them (computed from the levels unless given). */
  addLevels(baseline: number | null, candidate: number | null, change?: number | null): void {
    if (baseline !== null) this.base.push(baseline);
    if (candidate !== null) this.cand.push(candidate);
    if (baseline !== null && candidate !== null) {
      const value = change === undefined ? this.compare(baseline, candidate) : change;
      if (value !== null) this.delta.push(value);
    }
  }

  summary(): PairedInterval {
    // The standard deviation first: the intervals sort their series in place.
    const se = standardDeviation(this.delta.filled);
    return {
      baseline: interval(this.base.filled),
      candidate: interval(this.cand.filled),
      delta: interval(this.delta.filled),
      se,
    };
  }
}

/** A side's numerator with the verdicts a judge's model gave corrected for a flip rate (see judge-noise.ts); counts no judge made stay as they are. */
function correctedNumerator(
  numerator: number,
  positive: number,
  judged: number,
  flipRate: number,
  clamp = true,
): number {
  return judged === 0 ? numerator : numerator - positive + correctCount(positive, judged, flipRate, clamp);
}

/** Corrected levels (within [0, 1]) and their difference (from the unclamped levels). */
function correctedLevels(
  a: { numerator: number; denominator: number; positive: number; judged: number },
  b: { numerator: number; denominator: number; positive: number; judged: number },
  flipRate: number,
): { baseline: number | null; candidate: number | null; delta: number | null } {
  const level = (s: typeof a, clamp: boolean) =>
    s.denominator > 0 ? correctedNumerator(s.numerator, s.positive, s.judged, flipRate, clamp) / s.denominator : null;
  const [la, lb, ua, ub] = [level(a, true), level(b, true), level(a, false), level(b, false)];
  return { baseline: la, candidate: lb, delta: ua === null || ub === null ? null : ub - ua };
}

/** Numbers per conversation in packCounts: both sides' numerator, denominator, noisy positives and noisy judged. */
const COLUMNS = 8;

/**
 * The rows' counts side by side in one typed array: a resample reads a conversation's counts from
 * one place instead of following three objects, which made the bootstrap a large share of a big
 * report's time. The sums are taken in the same order, so the intervals are the same.
 */
function packCounts(rows: PairedCounts[]): Float64Array {
  const counts = new Float64Array(rows.length * COLUMNS);
  rows.forEach((row, i) => {
    const at = i * COLUMNS;
    counts[at] = row.baseline.numerator;
    counts[at + 1] = row.baseline.denominator;
    counts[at + 2] = row.candidate.numerator;
    counts[at + 3] = row.candidate.denominator;
    counts[at + 4] = row.baseline.noisy?.positive ?? 0;
    counts[at + 5] = row.baseline.noisy?.judged ?? 0;
    counts[at + 6] = row.candidate.noisy?.positive ?? 0;
    counts[at + 7] = row.candidate.noisy?.judged ?? 0;
  });
  return counts;
}

/**
 * Paired bootstrap over conversations: each resample draws conversations with replacement and
 * recomputes both configs' pooled ratio on the same draw, so the delta's interval reflects the pairing.
 * Percentile 95% intervals; resamples whose denominator is 0 are skipped for that quantity.
 *
 * With `flips` (the repeat agreement of the judge's verdicts that fed the metric), each resample also
 * gives the levels corrected for the judge's noise: with the conversations, it resamples the repeated
 * verdicts that measure the noise (a flip rate drawn from what they allow, see drawFlipRate) and
 * corrects both sides of the drawn conversations for that rate. The judge's noise is in the verdicts
 * the conversations carry, so the corrected intervals hold it once, scaled by the correction, together
 * with the uncertainty of the flip rate. The uncorrected intervals are the same as without `flips`:
 * the flip rates are drawn from their own stream.
 */
export function pairedBootstrap(
  rows: PairedCounts[],
  resamples: number,
  seed: number,
  label: string,
  compare: (baseline: number, candidate: number) => number | null = difference,
  flips?: RepeatCounts,
): BootstrapResult {
  if (rows.length === 0)
    return {
      baseline: null,
      candidate: null,
      delta: null,
      se: null,
      ...(flips ? { corrected: { baseline: null, candidate: null, delta: null, se: null } } : {}),
    };
  const rng = createRng(deriveSeed(seed, `bootstrap:${label}`));
  const noiseRng = flips ? createRng(deriveSeed(seed, `bootstrap-noise:${label}`)) : undefined;
  const raw = new Replicates(resamples, compare);
  const corrected = new Replicates(resamples, compare);
  const n = rows.length;
  const counts = packCounts(rows);
  for (let r = 0; r < resamples; r++) {
    let an = 0,
      ad = 0,
      bn = 0,
      bd = 0;
    let ap = 0,
      aj = 0,
      bp = 0,
      bj = 0;
    for (let i = 0; i < n; i++) {
      const at = Math.floor(rng() * n) * COLUMNS;
      an += counts[at]!;
      ad += counts[at + 1]!;
      bn += counts[at + 2]!;
      bd += counts[at + 3]!;
      if (noiseRng) {
        ap += counts[at + 4]!;
        aj += counts[at + 5]!;
        bp += counts[at + 6]!;
        bj += counts[at + 7]!;
      }
    }
    raw.add(an, ad, bn, bd);
    if (noiseRng && flips) {
      const q = drawFlipRate(flips, noiseRng);
      const levels = correctedLevels(
        { numerator: an, denominator: ad, positive: ap, judged: aj },
        { numerator: bn, denominator: bd, positive: bp, judged: bj },
        q,
      );
      corrected.addLevels(levels.baseline, levels.candidate, levels.delta);
    }
  }
  return { ...raw.summary(), ...(flips ? { corrected: corrected.summary() } : {}) };
}
