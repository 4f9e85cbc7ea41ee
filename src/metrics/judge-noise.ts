import { betaVariate } from "./random.js";

/**
 * The judge's own noise, as the repeats measure it, and what it does to the numbers it judged.
 *
 * Model: each verdict of the judge is the true one, flipped with probability q (the flip rate),
 * independently of the other verdicts and of the item (symmetric flips). Two judgements of the same
 * item then disagree with probability r = 2q(1 − q): the repeat disagreement is not the flip rate,
 * it is about twice it. An observed share of positive verdicts p̂ estimates p(1 − 2q) + q, so the
 * share corrected for the flips is (p̂ − q) / (1 − 2q) (Rogan and Gladen's estimator), and a
 * difference of two shares judged by the same judge is the observed one divided by 1 − 2q.
 */

/** Verdicts of one kind judged twice (the repeat bypasses the cache), and how many changed. */
export interface RepeatCounts {
  compared: number;
  disagreements: number;
}

/** What the report calls the correction, in every format. */
export const CORRECTION_METHOD =
  "symmetric-flip correction (Rogan–Gladen): flip rate q = (1 − √(1 − 2r)) / 2 from the repeat disagreement r; corrected share = (observed − q) / (1 − 2q); a difference of shares ÷ (1 − 2q)";

/** A flip rate this close to 0.5 leaves the verdicts almost coin flips: a corrected share is then undefined. */
export const MAX_FLIP_RATE = 0.45;

/** The flip rate of one judgement from the disagreement rate of two; 0.5 (pure noise) from r ≥ 0.5. */
export function flipRateOf(disagreement: number): number {
  if (disagreement <= 0) return 0;
  if (disagreement >= 0.5) return 0.5;
  return (1 - Math.sqrt(1 - 2 * disagreement)) / 2;
}

/** The flip rate the repeats measured, or null when they compared nothing. */
export function measuredFlipRate(counts: RepeatCounts | undefined): number | null {
  if (!counts || counts.compared === 0) return null;
  return flipRateOf(counts.disagreements / counts.compared);
}

/** Whether a flip rate leaves the verdicts informative enough to correct. */
export function correctable(flipRate: number): boolean {
  return flipRate < MAX_FLIP_RATE;
}

/**
 * A count of positive verdicts out of `total`, corrected for the flip rate. Kept within [0, total] for
 * a level; a difference of two levels takes them unclamped (`clamp: false`), so that two sides beyond a
 * bound do not both stop at it and hide the change between them.
 */
export function correctCount(positive: number, total: number, flipRate: number, clamp = true): number {
  if (flipRate === 0 || total === 0) return positive;
  const corrected = (positive - flipRate * total) / (1 - 2 * flipRate);
  return clamp ? Math.min(total, Math.max(0, corrected)) : corrected;
}

/**
 * A flip rate drawn from what the repeats allow: the disagreement rate from its Jeffreys posterior,
 * Beta(d + ½, n − d + ½), then converted. With no disagreement in a few verdicts it still allows some
 * noise, as it should; it never exceeds MAX_FLIP_RATE.
 */
export function drawFlipRate(counts: RepeatCounts, rng: () => number): number {
  const disagreement = betaVariate(counts.disagreements + 0.5, counts.compared - counts.disagreements + 0.5, rng);
  return Math.min(MAX_FLIP_RATE, flipRateOf(disagreement));
}

/**
 * Half the width of the 95% interval that the judge's flips alone give a corrected difference of two
 * shares: the spread the change would show if nothing but the judge varied. `judged` are the verdicts
 * the model gave on each side (the ones that can flip), `totals` the denominators of the two shares.
 */
export function noiseSpread(
  flipRate: number,
  judged: { baseline: number; candidate: number },
  totals: { baseline: number; candidate: number },
): number | null {
  if (totals.baseline === 0 || totals.candidate === 0 || !correctable(flipRate)) return null;
  const variance =
    flipRate * (1 - flipRate) * (judged.baseline / totals.baseline ** 2 + judged.candidate / totals.candidate ** 2);
  return (1.96 * Math.sqrt(variance)) / (1 - 2 * flipRate);
}
