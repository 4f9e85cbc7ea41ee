import { describe, expect, it } from "vitest";
import { createRng, deriveSeed, sampleIndexes } from "../../src/metrics/random.js";

const draw = (rng: () => number, n: number) => Array.from({ length: n }, () => rng());

describe("createRng", () => {
  it("gives the same sequence for the same seed", () => {
    expect(draw(createRng(42), 20)).toEqual(draw(createRng(42), 20));
  });
  it("gives a different sequence for another seed", () => {
    expect(draw(createRng(42), 5)).not.toEqual(draw(createRng(43), 5));
  });
  it("draws mulberry32's values: the same first numbers on every machine and in every version", () => {
    expect(draw(createRng(0), 3)).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    expect(draw(createRng(42), 5)).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693, 0.17481389874592423,
    ]);
    // A seed past 2^31, as deriveSeed gives: the state's bits are the same whatever sign they are held with.
    expect(draw(createRng(3269267825), 3)).toEqual([0.072342045372352, 0.6989601505920291, 0.3456513083074242]);
  });
  it("stays in [0, 1)", () => {
    for (const value of draw(createRng(7), 1000)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe("deriveSeed", () => {
  it("is stable for a seed and label, and differs between labels", () => {
    expect(deriveSeed(42, "junk:baseline")).toBe(deriveSeed(42, "junk:baseline"));
    expect(deriveSeed(42, "junk:baseline")).not.toBe(deriveSeed(42, "junk:candidate"));
    expect(deriveSeed(42, "junk:baseline")).not.toBe(deriveSeed(43, "junk:baseline"));
  });
  it("gives the same seed on every machine and in every version", () => {
    expect(deriveSeed(42, "junk:baseline")).toBe(3269267825);
    expect(deriveSeed(0, "")).toBe(0);
  });
});

describe("sampleIndexes", () => {
  it("returns k distinct indexes of 0..n-1, ascending", () => {
    const sample = sampleIndexes(20, 7, createRng(1));
    expect(sample).toHaveLength(7);
    expect(new Set(sample).size).toBe(7);
    expect([...sample].sort((a, b) => a - b)).toEqual(sample);
    for (const i of sample) {
      expect(Number.isInteger(i)).toBe(true);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(20);
    }
  });
  it("is deterministic for a seed", () => {
    expect(sampleIndexes(50, 10, createRng(9))).toEqual(sampleIndexes(50, 10, createRng(9)));
  });
  it("returns every index when k ≥ n", () => {
    expect(sampleIndexes(4, 4, createRng(1))).toEqual([0, 1, 2, 3]);
    expect(sampleIndexes(4, 10, createRng(1))).toEqual([0, 1, 2, 3]);
  });
  it("returns nothing for k = 0 or n = 0", () => {
    expect(sampleIndexes(5, 0, createRng(1))).toEqual([]);
    expect(sampleIndexes(0, 3, createRng(1))).toEqual([]);
  });
});
