import { describe, expect, it } from "vitest";
import {
  computeCalibration,
  isotonicFit,
  reliabilityBins,
  suggestScalingFactor,
} from "../../src/metrics/calibration.js";
import { maxWeightAssignment, sparseMaxWeightAssignment } from "../../src/metrics/hungarian.js";
import { mcnemarExact } from "../../src/metrics/mcnemar.js";

describe("mcnemarExact", () => {
  it.each([
    // b, c, two-sided exact p: 2 · Σ_{i ≤ min} C(n, i) / 2^n
    [0, 1, 1],
    [0, 5, 2 / 32], // 2 · 1/32
    [1, 9, (2 * (1 + 10)) / 1024], // 2 · (C(10,0) + C(10,1)) / 2^10
    [5, 5, 1], // capped at 1
    [3, 12, (2 * (1 + 15 + 105 + 455)) / 32768],
  ])("b = %d, c = %d → p = %f", (b, c, p) => {
    const result = mcnemarExact(b, c);
    expect(result.p_value).toBeCloseTo(p, 12);
    expect(result).toMatchObject({ baseline_only: b, candidate_only: c });
  });

  it("is null with no discordant memory", () => {
    expect(mcnemarExact(0, 0).p_value).toBeNull();
  });

  it("stays finite for large counts", () => {
    expect(mcnemarExact(400, 600).p_value).toBeGreaterThan(0);
    expect(mcnemarExact(400, 600).p_value).toBeLessThan(1e-8);
  });
});

describe("calibration", () => {
  const points = (pairs: Array<[number, boolean]>) => pairs.map(([confidence, useful]) => ({ confidence, useful }));

  it("reliability bins hold equal mass and keep ties together", () => {
    const data = points([
      [0.1, false],
      [0.2, false],
      [0.3, true],
      [0.4, false],
      [0.5, true],
      [0.5, true],
      [0.7, true],
      [0.8, true],
      [0.9, true],
      [0.95, true],
    ]);
    const bins = reliabilityBins(data, 5);
    expect(bins.map((b) => b.count)).toEqual([2, 2, 2, 2, 2]);
    expect(bins[2]).toEqual({ from: 0.5, to: 0.5, count: 2, mean_confidence: 0.5, useful_rate: 1 });
    const tied = reliabilityBins(
      points([
        [0.5, true],
        [0.5, false],
        [0.5, true],
        [0.9, true],
      ]),
      2,
    );
    expect(tied.map((b) => b.count)).toEqual([3, 1]); // the three 0.5s stay in one bin
  });

  it("ECE and Brier by hand", () => {
    // two bins of two: {0.2 no, 0.4 yes} mean 0.3 rate 0.5; {0.6 yes, 0.8 yes} mean 0.7 rate 1
    const data = points([
      [0.2, false],
      [0.4, true],
      [0.6, true],
      [0.8, true],
    ]);
    const c = { ...computeCalibration(data), bins: reliabilityBins(data, 2) };
    const ece = 0.5 * Math.abs(0.5 - 0.3) + 0.5 * Math.abs(1 - 0.7);
    expect(c.bins.reduce((sum, b) => sum + (b.count / 4) * Math.abs(b.useful_rate - b.mean_confidence), 0)).toBeCloseTo(
      ece,
      12,
    );
    expect(computeCalibration(data).brier).toBeCloseTo((0.2 ** 2 + 0.6 ** 2 + 0.4 ** 2 + 0.2 ** 2) / 4, 12);
    expect(computeCalibration(data)).toMatchObject({ judged: 4, indicative_only: true });
  });

  it("says a curve is indicative below a few hundred judged candidates", () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ confidence: i / 300, useful: i % 2 === 0 }));
    expect(computeCalibration(many).indicative_only).toBe(false);
    expect(computeCalibration(many.slice(0, 299)).indicative_only).toBe(true);
  });

  it("the isotonic fit pools adjacent violators into a non-decreasing curve", () => {
    // rates by confidence: 0.1 → 1, 0.2 → 0, 0.3 → 1, 0.4 → 1: the first two pool to 0.5
    const curve = isotonicFit(
      points([
        [0.1, true],
        [0.2, false],
        [0.3, true],
        [0.4, true],
      ]),
    );
    expect(curve).toEqual([
      { confidence: 0.15000000000000002, useful_rate: 0.5, count: 2 },
      { confidence: 0.3, useful_rate: 1, count: 1 },
      { confidence: 0.4, useful_rate: 1, count: 1 },
    ]);
    for (let i = 1; i < curve.length; i++)
      expect(curve[i]!.useful_rate).toBeGreaterThanOrEqual(curve[i - 1]!.useful_rate);
  });

  it("is null, not zero, with nothing judged", () => {
    expect(computeCalibration([])).toEqual({
      judged: 0,
      indicative_only: true,
      bins: [],
      ece: null,
      brier: null,
      curve: [],
    });
  });
});

describe("suggestScalingFactor", () => {
  const edges = [0, 0.3, 0.5, 0.7, 0.85, 1];

  it("maps the candidate's bucket shares onto the baseline's, without a cliff at a bucket edge", () => {
    // baseline: 82% at 0.62, 18% at 0.72; candidate the same shape at 0.82 / 0.92
    const baseline = [...Array(82).fill(0.62), ...Array(18).fill(0.72)];
    const candidate = [...Array(82).fill(0.82), ...Array(18).fill(0.92)];
    const factor = suggestScalingFactor(baseline, candidate, edges)!;
    // 0.76 · 0.92 = 0.699 would drop the whole top bucket under 0.7; 0.77 keeps it
    expect(factor).toBe(0.77);
    const above = candidate.map((c) => c * factor).filter((c) => c >= 0.7).length / candidate.length;
    expect(above).toBeCloseTo(0.18, 2);
  });

  it("is 1 for identical distributions and undefined for an empty side", () => {
    const same = [0.2, 0.4, 0.6, 0.8, 0.9];
    expect(suggestScalingFactor(same, same, edges)).toBe(1);
    expect(suggestScalingFactor([], same, edges)).toBeUndefined();
    expect(suggestScalingFactor(same, [], edges)).toBeUndefined();
  });
});

describe("maximum-weight assignment", () => {
  it("finds the optimum where greedy would not", () => {
    // greedy takes (0,0) = 10 then (1,1) = 1: 11; the optimum is (0,1) + (1,0) = 9 + 8 = 17
    expect(
      maxWeightAssignment([
        [10, 9],
        [8, 1],
      ]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("handles more rows than columns, and leaves zero-weight pairs unmatched", () => {
    expect(maxWeightAssignment([[1], [5], [3]])).toEqual([[1, 0]]);
    expect(
      maxWeightAssignment([
        [0, 0],
        [0, 2],
      ]),
    ).toEqual([[1, 1]]);
    expect(maxWeightAssignment([])).toEqual([]);
  });

  it("solves each connected component of a sparse graph on its own", () => {
    const pairs = sparseMaxWeightAssignment(4, 4, [
      { row: 0, col: 0, weight: 10 },
      { row: 0, col: 1, weight: 9 },
      { row: 1, col: 0, weight: 8 },
      { row: 2, col: 3, weight: 1 },
    ]);
    expect(pairs).toEqual([
      [0, 1],
      [1, 0],
      [2, 3],
    ]);
  });
});
