import { describe, expect, it } from "vitest";
import { formatCount, formatEstimate } from "../../src/text/format-number.js";

describe("formatCount", () => {
  const intl = new Intl.NumberFormat("en-US");

  it("writes counts as Intl's en-US formatter does, without building one for whole numbers", () => {
    const edges = [
      0,
      -0,
      7,
      999,
      1000,
      -1000,
      12345,
      999999,
      1234567,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      1e21,
      1234.5678,
      -0.5,
      Infinity,
      Number.NaN,
    ];
    // Whole numbers of every length, both signs, from a fixed sequence.
    let seed = 17;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const spread = Array.from({ length: 2000 }, () => Math.floor((next() - 0.5) * 10 ** Math.floor(next() * 16)));
    for (const value of [...edges, ...spread]) expect(formatCount(value), String(value)).toBe(intl.format(value));
  });
});

describe("formatEstimate", () => {
  it("writes an estimate and its interval in the unit of the estimate", () => {
    expect(formatEstimate(-0.043, [-0.078, -0.01], "pp")).toBe("−4.3 pp [−7.8, −1.0] pp");
    expect(formatEstimate(0.374, [0.3, 0.477], "rate")).toBe("37.4% [30.0%, 47.7%]");
    expect(formatEstimate(0.12, [-0.05, 0.3], "relative")).toBe("+12.0% [−5.0%, +30.0%]");
  });
  it("leaves the interval out when there is none, with no space left behind", () => {
    expect(formatEstimate(0.02, null, "pp")).toBe("+2.0 pp");
  });
});
