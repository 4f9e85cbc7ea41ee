import { createRng, deriveSeed, sampleIndexes } from "./random.js";

/**
 * The conversations judged a second time to measure judge noise: `share` of them (at least one when
 * the share is above 0), drawn with the run's seed. Both configs are repeated on the same ones.
 */
export function selectNoiseSample(conversationIds: string[], share: number, seed: number): Set<string> {
  if (share <= 0 || conversationIds.length === 0) return new Set();
  const size = Math.max(1, Math.round(share * conversationIds.length));
  const picked = sampleIndexes(conversationIds.length, size, createRng(deriveSeed(seed, "judge-noise")));
  return new Set(picked.map((i) => conversationIds[i]!));
}
