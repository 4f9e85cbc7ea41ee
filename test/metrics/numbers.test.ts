import { describe, expect, it } from "vitest";
import { countBy, difference, mean, median, percentile, ratio, round } from "../../src/metrics/numbers.js";

describe("ratio", () => {
  it("divides", () => {
    expect(ratio(3, 4)).toBe(0.75); // 3 of 4 = 0.75
    expect(ratio(0, 5)).toBe(0); // nothing of 5 = 0
  });
  it("is null when there is nothing to divide by", () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(0, 0)).toBeNull();
  });
});

describe("percentile (nearest rank)", () => {
  const values = [40, 15, 50, 20, 35]; // sorted: 15 20 35 40 50
  it.each([
    [0, 15], // rank max(1, ceil(0)) = 1 → 15
    [20, 15], // rank ceil(0.2 × 5) = 1 → 15
    [30, 20], // rank ceil(1.5) = 2 → 20
    [40, 20], // rank ceil(2) = 2 → 20
    [50, 35], // rank ceil(2.5) = 3 → 35
    [95, 50], // rank ceil(4.75) = 5 → 50
    [100, 50], // rank 5 → 50
  ])("p%d of 15 20 35 40 50 = %d", (p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
  it("takes the exact rank when p × n is a whole number", () => {
    const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(oneToHundred, 7)).toBe(7); // rank 7 × 100 / 100 = 7 exactly → 7
    expect(percentile(oneToHundred, 95)).toBe(95); // rank 95
  });
  it("does not reorder its input and is null when empty", () => {
    const input = [3, 1, 2];
    expect(percentile(input, 50)).toBe(2); // rank ceil(1.5) = 2 of 1 2 3 → 2
    expect(input).toEqual([3, 1, 2]);
    expect(percentile([], 50)).toBeNull();
  });
});

describe("median", () => {
  it("takes the middle value of an odd count", () => {
    expect(median([9, 1, 5])).toBe(5); // 1 5 9 → 5
  });
  it("averages the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5); // 1 2 3 4 → (2 + 3) / 2 = 2.5
  });
  it("is null when empty", () => {
    expect(median([])).toBeNull();
  });
});

describe("mean, round, difference", () => {
  it("mean", () => {
    expect(mean([1, 2, 6])).toBe(3); // 9 / 3
    expect(mean([])).toBeNull();
  });
  it("round keeps null and drops non-finite values", () => {
    expect(round(2 / 3)).toBe(0.6667); // 0.66666… to 4 places
    expect(round(1.005, 1)).toBe(1);
    expect(round(null)).toBeNull();
    expect(round(Number.NaN)).toBeNull();
  });
  it("difference is null when a side is missing", () => {
    expect(difference(0.75, 0.5)).toBe(0.25);
    expect(difference(null, 0.5)).toBeNull();
    expect(difference(0.5, null)).toBeNull();
  });
});

describe("countBy", () => {
  it("counts each key in first-seen order", () => {
    const counts = countBy(["fact", "event", "fact", "preference", "fact"], (t) => t);
    expect(counts).toEqual({ fact: 3, event: 1, preference: 1 }); // fact ×3, event ×1, preference ×1
    expect(Object.keys(counts)).toEqual(["fact", "event", "preference"]);
  });
  it("returns an empty record for no items", () => {
    expect(countBy([], (x: string) => x)).toEqual({});
  });
});
