import { describe, expect, it } from "vitest";
import { pairedBootstrap, type PairedCounts } from "../../src/metrics/bootstrap.js";

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
    expect(pairedBootstrap([row(1, 4, 3, 4)], 200, 42, "precision")).toEqual({ baseline: [0.25, 0.25], candidate: [0.75, 0.75], delta: [0.5, 0.5] });
  });

  it("is null with no rows", () => {
    expect(pairedBootstrap([], 1000, 42, "precision")).toEqual({ baseline: null, candidate: null, delta: null });
  });

  it("is null for a side that never has a denominator, and then for the delta", () => {
    const result = pairedBootstrap([row(1, 2, 0, 0), row(1, 2, 0, 0)], 200, 42, "precision");
    expect(result.baseline).toEqual([0.5, 0.5]); // 2/4 on every resample
    expect(result.candidate).toBeNull();
    expect(result.delta).toBeNull();
  });
});
