import type { McNemar } from "../schema/report.js";

/** log(n choose k), by summing logs: exact enough for the counts a golden set has. */
function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/**
 * McNemar's exact test: of the discordant items (covered by one config only), is the split between
 * the two configs more lopsided than a fair coin would make it? Two-sided binomial p-value,
 * 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1; null with no discordant item.
 */
export function mcnemarExact(baselineOnly: number, candidateOnly: number): McNemar {
  const n = baselineOnly + candidateOnly;
  if (n === 0) return { baseline_only: baselineOnly, candidate_only: candidateOnly, p_value: null };
  const k = Math.min(baselineOnly, candidateOnly);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return { baseline_only: baselineOnly, candidate_only: candidateOnly, p_value: Math.min(1, 2 * tail) };
}
