import { describe, expect, it } from "vitest";
import { createRng } from "../../src/metrics/random.js";
import { SimilarityIndex } from "../../src/text/similarity-index.js";
import { dice } from "../../src/text/tokens.js";

/** Random token sets over a small vocabulary, so that many pairs are similar. */
function randomSets(seed: number, count: number, vocabulary: number): Array<Set<string>> {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const size = 1 + Math.floor(rng() * 6);
    return new Set(Array.from({ length: size }, () => `w${Math.floor(rng() * vocabulary)}`));
  });
}

describe("SimilarityIndex", () => {
  it.each([0.9, 0.75, 0.5, 0.3, 0.1])(
    "finds the same first similar set as comparing every pair (threshold %f)",
    (threshold) => {
      for (const seed of [1, 2, 3]) {
        const sets = randomSets(seed, 300, 12);
        const index = new SimilarityIndex(sets, threshold);
        sets.forEach((set, i) => {
          const expected = sets.slice(0, i).findIndex((other) => dice(other, set) >= threshold);
          expect(index.firstSimilar(set)).toBe(expected === -1 ? undefined : expected);
          index.add(i, set);
        });
      }
    },
  );

  it("at 0 everything is similar to the first set added; empty sets match nothing above 0", () => {
    const sets = [new Set(["a"]), new Set(["b"])];
    const zero = new SimilarityIndex(sets, 0);
    expect(zero.firstSimilar(sets[0]!)).toBeUndefined();
    zero.add(0, sets[0]!);
    expect(zero.firstSimilar(sets[1]!)).toBe(0);
    const strict = new SimilarityIndex([new Set<string>()], 0.5);
    strict.add(0, new Set());
    expect(strict.firstSimilar(new Set())).toBeUndefined();
  });
});
