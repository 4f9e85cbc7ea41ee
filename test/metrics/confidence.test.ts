import { describe, expect, it } from "vitest";
import { confidenceHistogram, summarizeConfidence } from "../../src/metrics/confidence.js";

const EDGES = [0, 0.3, 0.5, 0.7, 0.85, 1];
const counts = (values: number[]) => confidenceHistogram(values, EDGES).map((b) => b.count);

describe("confidenceHistogram", () => {
  it("has one bucket per pair of edges", () => {
    expect(confidenceHistogram([], EDGES).map((b) => [b.from, b.to])).toEqual([
      [0, 0.3],
      [0.3, 0.5],
      [0.5, 0.7],
      [0.7, 0.85],
      [0.85, 1],
    ]);
  });

  it("puts a value on an inner edge in the bucket that starts there", () => {
    expect(counts([0.3])).toEqual([0, 1, 0, 0, 0]); // 0.3 → 0.3–0.5
    expect(counts([0.5])).toEqual([0, 0, 1, 0, 0]); // 0.5 → 0.5–0.7
    expect(counts([0.7])).toEqual([0, 0, 0, 1, 0]); // 0.7 → 0.7–0.85
    expect(counts([0.85])).toEqual([0, 0, 0, 0, 1]); // 0.85 → 0.85–1
  });

  it("counts 0 in the first bucket and 1.0 in the last", () => {
    expect(counts([0])).toEqual([1, 0, 0, 0, 0]);
    expect(counts([1])).toEqual([0, 0, 0, 0, 1]);
  });

  it("counts just below an edge in the bucket below", () => {
    expect(counts([0.29999, 0.69999])).toEqual([1, 0, 1, 0, 0]);
  });

  it("gives each bucket's share of all values", () => {
    // 8 values: 0, 0.29 → [0,0.3); 0.3 → [0.3,0.5); 0.5 → [0.5,0.7); 0.7 → [0.7,0.85); 0.85, 0.99, 1 → [0.85,1]
    const histogram = confidenceHistogram([0, 0.29, 0.3, 0.5, 0.7, 0.85, 0.99, 1], EDGES);
    expect(histogram.map((b) => b.count)).toEqual([2, 1, 1, 1, 3]);
    expect(histogram.map((b) => b.share)).toEqual([0.25, 0.125, 0.125, 0.125, 0.375]); // 2/8 1/8 1/8 1/8 3/8
  });

  it("has null shares when there is nothing to count", () => {
    expect(confidenceHistogram([], EDGES).every((b) => b.count === 0 && b.share === null)).toBe(true);
  });
});

describe("summarizeConfidence", () => {
  it("gives mean, median and the share at ≥ 0.7", () => {
    const summary = summarizeConfidence([0.2, 0.6, 0.69, 0.7, 0.9], EDGES);
    expect(summary.mean).toBeCloseTo(0.618, 12); // (0.2 + 0.6 + 0.69 + 0.7 + 0.9) / 5 = 3.09 / 5
    expect(summary.median).toBe(0.69); // 0.2 0.6 0.69 0.7 0.9 → 0.69
    expect(summary.high_share).toBe(0.4); // 0.7 and 0.9 of 5 (0.69 is not high) = 2/5
  });
  it("is all null for no candidates", () => {
    const summary = summarizeConfidence([], EDGES);
    expect([summary.mean, summary.median, summary.high_share]).toEqual([null, null, null]);
  });
});
