import { createRng, deriveSeed } from "./random.js";

/** Per-conversation counts of a ratio metric for both configs (e.g. useful / judged). */
export interface PairedCounts {
  baseline: { numerator: number; denominator: number };
  candidate: { numerator: number; denominator: number };
}

export interface PairedInterval {
  baseline: [number, number] | null;
  candidate: [number, number] | null;
  delta: [number, number] | null;
}

/** Candidate − baseline: the delta of two rates. */
export function difference(baseline: number, candidate: number): number {
  return candidate - baseline;
}

/** Candidate / baseline − 1: a relative change; undefined from a baseline of 0. */
export function relativeChange(baseline: number, candidate: number): number | null {
  return baseline === 0 ? null : candidate / baseline - 1;
}

function percentileOfSorted(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

function interval(values: number[]): [number, number] | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return [percentileOfSorted(sorted, 0.025), percentileOfSorted(sorted, 0.975)];
}

/**
 * Paired bootstrap over conversations: each resample draws conversations with replacement and
 * recomputes both configs' pooled ratio on the same draw, so the delta's interval reflects the pairing.
 * Percentile 95% intervals; resamples whose denominator is 0 are skipped for that quantity.
 */
export function pairedBootstrap(
  rows: PairedCounts[],
  resamples: number,
  seed: number,
  label: string,
  compare: (baseline: number, candidate: number) => number | null = difference,
): PairedInterval {
  if (rows.length === 0) return { baseline: null, candidate: null, delta: null };
  const rng = createRng(deriveSeed(seed, `bootstrap:${label}`));
  const base: number[] = [];
  const cand: number[] = [];
  const delta: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let an = 0, ad = 0, bn = 0, bd = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[Math.floor(rng() * rows.length)]!;
      an += row.baseline.numerator;
      ad += row.baseline.denominator;
      bn += row.candidate.numerator;
      bd += row.candidate.denominator;
    }
    if (ad > 0) base.push(an / ad);
    if (bd > 0) cand.push(bn / bd);
    if (ad > 0 && bd > 0) {
      const value = compare(an / ad, bn / bd);
      if (value !== null) delta.push(value);
    }
  }
  return { baseline: interval(base), candidate: interval(cand), delta: interval(delta) };
}
