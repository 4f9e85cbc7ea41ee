import { describe, expect, it } from "vitest";
import { selectJunkSample } from "../../src/metrics/junk-sample.js";
import type { DryRunResult } from "../../src/schema/dry-run.js";
import { candidatesWith, makeDryRun } from "./fixtures.js";

// c1: 3 candidates, c2: a failed run with none, c3: 5 candidates, c4: 12 candidates; c5 has no dry run.
const ids = ["c1", "c2", "c3", "c4", "c5"];
const sizes: Record<string, number> = { c1: 3, c2: 0, c3: 5, c4: 12 };
const dryRuns = new Map<string, DryRunResult>(
  Object.entries(sizes).map(([id, n]) => [id, makeDryRun(id, candidatesWith(n, {}))]),
);
const population = 3 + 0 + 5 + 12; // 20 candidates in all

const total = (sample: Map<string, number[]>) => [...sample.values()].reduce((sum, indexes) => sum + indexes.length, 0);
const asObject = (sample: Map<string, number[]>) => Object.fromEntries(sample);

describe("selectJunkSample", () => {
  it("is deterministic for a seed", () => {
    expect(asObject(selectJunkSample(ids, dryRuns, 6, 42, "baseline"))).toEqual(
      asObject(selectJunkSample(ids, dryRuns, 6, 42, "baseline")),
    );
  });

  it("differs for another seed, and for another label (each config its own stream)", () => {
    const a = asObject(selectJunkSample(ids, dryRuns, 6, 42, "baseline"));
    expect(asObject(selectJunkSample(ids, dryRuns, 6, 7, "baseline"))).not.toEqual(a);
    expect(asObject(selectJunkSample(ids, dryRuns, 6, 42, "candidate"))).not.toEqual(a);
  });

  it("draws exactly `size` candidates, or all of them when there are fewer", () => {
    expect(total(selectJunkSample(ids, dryRuns, 6, 42, "baseline"))).toBe(6);
    expect(total(selectJunkSample(ids, dryRuns, 1, 42, "baseline"))).toBe(1);
    expect(total(selectJunkSample(ids, dryRuns, 100, 42, "baseline"))).toBe(population); // 20 < 100 → all 20
  });

  it("takes every candidate of every conversation when size covers the population", () => {
    expect(asObject(selectJunkSample(ids, dryRuns, population, 3, "baseline"))).toEqual({
      c1: [0, 1, 2],
      c3: [0, 1, 2, 3, 4],
      c4: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    });
  });

  it.each([1, 2, 3, 4, 5, 42, 1234])("groups by conversation, ascending, never beyond a conversation's candidates (seed %d)", (seed) => {
    const sample = selectJunkSample(ids, dryRuns, 8, seed, "candidate");
    expect(total(sample)).toBe(8);
    for (const [id, indexes] of sample) {
      expect(["c1", "c3", "c4"]).toContain(id); // c2 has no candidates, c5 no dry run
      expect(indexes.length).toBeGreaterThan(0);
      expect(new Set(indexes).size).toBe(indexes.length);
      expect([...indexes].sort((x, y) => x - y)).toEqual(indexes);
      for (const index of indexes) {
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(sizes[id]!);
      }
    }
  });

  it("is empty when no conversation has candidates", () => {
    expect(selectJunkSample(["c2", "c5"], dryRuns, 10, 42, "baseline").size).toBe(0);
  });
});
