import { describe, expect, it } from "vitest";
import { pairedBootstrap, pooledChange, type PairedCounts } from "../../src/metrics/bootstrap.js";
import { correctCount, drawFlipRate, flipRateOf, MAX_FLIP_RATE } from "../../src/metrics/judge-noise.js";
import { createRng } from "../../src/metrics/random.js";

const row = (bn: number, bd: number, cn: number, cd: number): PairedCounts => ({
  baseline: { numerator: bn, denominator: bd },
  candidate: { numerator: cn, denominator: cd },
});

// baseline per conversation 1/2, 2/4, 3/4 (pooled 6/10 = 0.6); candidate 2/2, 3/4, 2/4 (pooled 7/10 = 0.7)
const rows = [row(1, 2, 2, 2), row(2, 4, 3, 4), row(3, 4, 2, 4)];

describe("pairedBootstrap", () => {
  it("is deterministic for a seed and label", () => {
    expect(pairedBootstrap(rows, 500, 42, "precision")).toEqual(pairedBootstrap(rows, 500, 42, "precision"));
  });

  it("draws a different stream for another seed", () => {
    const many = Array.from({ length: 12 }, (_, i) => row(i % 4, 4, (i * 3) % 5, 5));
    expect(pairedBootstrap(many, 200, 1, "precision")).not.toEqual(pairedBootstrap(many, 200, 2, "precision"));
  });

  it("gives a [0, 0] delta interval when both configs are identical", () => {
    const same = [row(1, 2, 1, 2), row(3, 4, 3, 4), row(0, 3, 0, 3)];
    const result = pairedBootstrap(same, 1000, 42, "recall");
    expect(result.delta).toEqual([0, 0]); // every resample: x − x = 0
    expect(result.baseline).toEqual(result.candidate);
  });

  it("contains the pooled point estimate and stays within the per-conversation extremes", () => {
    const result = pairedBootstrap(rows, 1000, 42, "precision");
    const [bLow, bHigh] = result.baseline!;
    const [cLow, cHigh] = result.candidate!;
    const [dLow, dHigh] = result.delta!;
    // baseline pooled 6/10 = 0.6; any resample's pooled ratio lies between the smallest (0.5) and largest (0.75) row ratio
    expect(bLow).toBeLessThanOrEqual(0.6);
    expect(bHigh).toBeGreaterThanOrEqual(0.6);
    expect(bLow).toBeGreaterThanOrEqual(0.5);
    expect(bHigh).toBeLessThanOrEqual(0.75);
    // candidate pooled 7/10 = 0.7, rows 1, 0.75, 0.5
    expect(cLow).toBeLessThanOrEqual(0.7);
    expect(cHigh).toBeGreaterThanOrEqual(0.7);
    expect(cLow).toBeGreaterThanOrEqual(0.5);
    expect(cHigh).toBeLessThanOrEqual(1);
    // delta pooled 0.7 − 0.6 = 0.1
    expect(dLow).toBeLessThanOrEqual(0.1);
    expect(dHigh).toBeGreaterThanOrEqual(0.1);
  });

  it("collapses to the single row's ratios when there is one conversation", () => {
    // baseline 1/4 = 0.25, candidate 3/4 = 0.75, delta 0.5, on every resample
    expect(pairedBootstrap([row(1, 4, 3, 4)], 200, 42, "precision")).toEqual({
      baseline: [0.25, 0.25],
      candidate: [0.75, 0.75],
      delta: [0.5, 0.5],
      se: 0,
    });
  });

  it("is null with no rows", () => {
    expect(pairedBootstrap([], 1000, 42, "precision")).toEqual({
      baseline: null,
      candidate: null,
      delta: null,
      se: null,
    });
  });

  it("is null for a side that never has a denominator, and then for the delta", () => {
    const result = pairedBootstrap([row(1, 2, 0, 0), row(1, 2, 0, 0)], 200, 42, "precision");
    expect(result.baseline).toEqual([0.5, 0.5]); // 2/4 on every resample
    expect(result.candidate).toBeNull();
    expect(result.delta).toBeNull();
  });
});

describe("pairedBootstrap with the judge's measured noise", () => {
  const noisy = (bn: number, bd: number, cn: number, cd: number): PairedCounts => ({
    baseline: { numerator: bn, denominator: bd, noisy: { positive: bn, judged: bd } },
    candidate: { numerator: cn, denominator: cd, noisy: { positive: cn, judged: cd } },
  });
  const many = Array.from({ length: 40 }, (_, i) => noisy(6 + (i % 3), 10, 5 + (i % 4), 10));
  const flips = { compared: 400, disagreements: 80 }; // r = 0.2 → q ≈ 0.1127

  it("leaves the uncorrected intervals as they are without it", () => {
    const { corrected: _corrected, ...plain } = pairedBootstrap(many, 500, 42, "precision", undefined, flips);
    expect(plain).toEqual(pairedBootstrap(many, 500, 42, "precision"));
  });

  it("widens the change's interval by about 1 / (1 − 2q), centred on the corrected change", () => {
    const result = pairedBootstrap(many, 2000, 42, "precision", undefined, flips);
    const q = flipRateOf(0.2);
    const width = (ci: [number, number] | null) => ci![1] - ci![0];
    expect(width(result.corrected!.delta) / width(result.delta)).toBeGreaterThan(1 / (1 - 2 * q) - 0.1);
    const point = pooledChange(many, q);
    const [low, high] = result.corrected!.delta!;
    expect(low).toBeLessThan(point.delta!);
    expect(high).toBeGreaterThan(point.delta!);
    expect(result.corrected!.se!).toBeGreaterThan(result.se!);
  });

  it("keeps corrected levels within [0, 1] while their change is taken unclamped", () => {
    const high = Array.from({ length: 20 }, () => noisy(9, 10, 8, 10)); // 0.9 and 0.8 observed
    const q = 0.15;
    const point = pooledChange(high, q);
    expect(point.baseline).toBe(1); // (0.9 − 0.15) / 0.7 = 1.07, kept at 1
    expect(point.delta).toBeCloseTo(-0.1 / 0.7, 10); // the change of the unclamped levels
  });
});

describe("judge-noise arithmetic", () => {
  it("turns a repeat disagreement into the flip rate of one judgement: r = 2q(1 − q)", () => {
    for (const q of [0, 0.05, 0.15, 0.3]) expect(flipRateOf(2 * q * (1 - q))).toBeCloseTo(q, 12);
    expect(flipRateOf(0.6)).toBe(0.5);
  });

  it("corrects a count for the flip rate (Rogan–Gladen), within [0, total] unless asked not to", () => {
    // 100 verdicts, truly 90 positive, 10% flipped: 90·0.9 + 10·0.1 = 82 observed
    expect(correctCount(82, 100, 0.1)).toBeCloseTo(90, 10);
    expect(correctCount(95, 100, 0.1)).toBe(100);
    expect(correctCount(95, 100, 0.1, false)).toBeCloseTo(106.25, 10);
  });

  it("draws flip rates a few verdicts allow: some noise even with no disagreement, never past the cap", () => {
    const rng = createRng(1);
    const draws = Array.from({ length: 500 }, () => drawFlipRate({ compared: 10, disagreements: 0 }, rng));
    expect(Math.max(...draws)).toBeGreaterThan(0.01);
    expect(Math.max(...draws)).toBeLessThanOrEqual(MAX_FLIP_RATE);
  });
});
