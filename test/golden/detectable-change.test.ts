import { describe, expect, it } from "vitest";
import { ASSUMED_JUDGE_FLIP_RATE, detectableChange } from "../../src/golden/stats.js";
import { cli, REPO } from "../cli/helpers.js";
import { join } from "node:path";

describe("the smallest change a golden set can detect", () => {
  it("is z² / (n + z²) with a deterministic judge, z = 1.96 + 0.84 (95% interval excluding 0, 80% power)", () => {
    const z2 = (1.959964 + 0.841621) ** 2;
    expect(detectableChange(198)).toBeCloseTo(z2 / (198 + z2), 12);
    expect(detectableChange(198)).toBeCloseTo(0.0381, 4);
    expect(detectableChange(0)).toBeNull();
  });

  it("shrinks as the set grows and grows with the judge's flip rate", () => {
    expect(detectableChange(2000)!).toBeLessThan(detectableChange(200)!);
    expect(detectableChange(198, ASSUMED_JUDGE_FLIP_RATE)!).toBeGreaterThan(3 * detectableChange(198)!);
  });

  it("is the change at which the observed change, shrunk by the flips, just reaches z standard errors", () => {
    const n = 500;
    const q = 0.1;
    const z = 1.959964 + 0.841621;
    const delta = detectableChange(n, q)!;
    const observed = delta * (1 - 2 * q);
    const se = Math.sqrt((observed * (1 - observed) + 2 * q * (1 - q)) / n);
    expect(observed).toBeCloseTo(z * se, 10);
  });

  it("is printed by golden stats, for precision and recall, with both kinds of judge", async () => {
    const { stdout, code } = await cli([
      "golden",
      "stats",
      "--dataset",
      join(REPO, "datasets/demo"),
      "--golden",
      join(REPO, "golden/demo"),
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "detectable change        recall and precision (about as many candidates as golden memories), over 198 verdicts:",
    );
    expect(stdout).toContain(
      "3.8 pp with the heuristic judge, 13.0 pp with an LLM judge that flips 10% of its verdicts",
    );
    const json = JSON.parse(
      (
        await cli([
          "golden",
          "stats",
          "--dataset",
          join(REPO, "datasets/demo"),
          "--golden",
          join(REPO, "golden/demo"),
          "--json",
        ])
      ).stdout,
    );
    expect(json.detectable_change).toMatchObject({ items: 198, judge_flip_rate: 0.1 });
  });
});
