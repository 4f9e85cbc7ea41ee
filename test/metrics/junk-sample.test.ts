import { describe, expect, it } from "vitest";
import type { PairedCounts } from "../../src/metrics/bootstrap.js";
import {
  drawJunkSample,
  firstJunkRoundSize,
  JUNK_GROWTH_FACTOR,
  junkSampleOrder,
  MIN_JUNK_CONVERSATIONS,
  nextJunkSampleSize,
  selectJunkSample,
  type JunkSample,
} from "../../src/metrics/junk-sample.js";
import type { DryRunResult } from "../../src/schema/dry-run.js";
import type { ConfigRole } from "../../src/schema/run-log.js";
import { candidatesWith, makeDryRun } from "./fixtures.js";

// Ten paired conversations; the baseline has 3 candidates in each, the candidate 1 to 10.
const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);
const sizes: Record<ConfigRole, (i: number) => number> = { baseline: () => 3, candidate: (i) => i + 1 };
const dryRuns = Object.fromEntries(
  (["baseline", "candidate"] as const).map((role) => [
    role,
    new Map<string, DryRunResult>(ids.map((id, i) => [id, makeDryRun(id, candidatesWith(sizes[role](i), {}))])),
  ]),
) as Record<ConfigRole, Map<string, DryRunResult>>;

const total = (sample: JunkSample, role: ConfigRole) =>
  [...sample.values()].reduce((sum, entry) => sum + entry[role].length, 0);

describe("selectJunkSample", () => {
  it("is deterministic for a seed and differs for another seed", () => {
    const a = [...selectJunkSample(ids, dryRuns, 6, 42, false).keys()];
    expect([...selectJunkSample(ids, dryRuns, 6, 42, false).keys()]).toEqual(a);
    expect([...selectJunkSample(ids, dryRuns, 6, 7, false).keys()]).not.toEqual(a);
  });

  it.each([1, 2, 3, 42, 1234])(
    "draws the same conversations for both configs until each has at least `size` candidates (seed %d)",
    (seed) => {
      const sample = selectJunkSample(ids, dryRuns, 8, seed, false);
      expect(total(sample, "baseline")).toBeGreaterThanOrEqual(8);
      expect(total(sample, "candidate")).toBeGreaterThanOrEqual(8);
      // Drawing stops as soon as both have enough: without the last conversation drawn, one side is short.
      const drawn = [...sample.keys()];
      const last = sample.get(drawn[drawn.length - 1]!)!;
      expect(
        Math.min(total(sample, "baseline") - last.baseline.length, total(sample, "candidate") - last.candidate.length),
      ).toBeLessThan(8);
      for (const [id, entry] of sample) {
        const i = ids.indexOf(id);
        // every candidate of a drawn conversation, on both sides
        expect(entry.baseline).toEqual([0, 1, 2]);
        expect(entry.candidate).toEqual(Array.from({ length: i + 1 }, (_, k) => k));
      }
    },
  );

  it("judges every conversation and every candidate when the judge is free", () => {
    const sample = selectJunkSample(ids, dryRuns, 1, 42, true);
    expect([...sample.keys()]).toEqual(ids);
    expect(total(sample, "baseline")).toBe(30);
    expect(total(sample, "candidate")).toBe(55);
  });

  it("draws in an order that depends only on the ids and the seed, not on the list's order", () => {
    const shuffled = [...ids].reverse();
    expect([...selectJunkSample(shuffled, dryRuns, 8, 42, false).keys()]).toEqual([
      ...selectJunkSample(ids, dryRuns, 8, 42, false).keys(),
    ]);
  });

  it("draws, from any part of the conversations, every member of the whole set's sample it holds", () => {
    const whole = new Set(selectJunkSample(ids, dryRuns, 8, 42, false).keys());
    for (const part of [
      ids.filter((_, i) => i % 2 === 0),
      ids.filter((_, i) => i % 2 === 1),
      ids.filter((_, i) => i % 3 === 0),
    ]) {
      const drawn = new Set(selectJunkSample(part, dryRuns, 8, 42, false).keys());
      for (const id of part) if (whole.has(id)) expect(drawn.has(id)).toBe(true);
    }
  });

  it("takes every conversation when the set is too small to reach the size", () => {
    expect(selectJunkSample(ids, dryRuns, 1000, 42, false).size).toBe(10);
  });

  it("is empty with no paired conversation", () => {
    expect(selectJunkSample([], dryRuns, 10, 42, false).size).toBe(0);
  });
});

describe("nextJunkSampleSize: the junk sample's growth with a paid judge", () => {
  /** `n` conversations of `per` candidates per side, with `junk` junk verdicts on each side per conversation (a function of the index). */
  const rows = (n: number, per: number, junk: (i: number, role: ConfigRole) => number): PairedCounts[] =>
    Array.from({ length: n }, (_, i) => ({
      baseline: { numerator: junk(i, "baseline"), denominator: per },
      candidate: { numerator: junk(i, "candidate"), denominator: per },
    }));
  const base = { limit: 0.05, size: 100, maxSize: 1000, exhausted: false, seed: 42, resamples: 500 };
  // about 10% junk on both sides, varying by conversation: the rise straddles 5 pp on a small sample
  const noisy = (i: number, role: ConfigRole) =>
    ((i * 7 + (role === "candidate" ? 3 : 0)) % 10 < 2 ? 1 : 0) + ((i * 3) % 4 === 0 && role === "candidate" ? 1 : 0);

  it("grows a sample that spans fewer than MIN_JUNK_CONVERSATIONS conversations to span them, whatever it says", () => {
    const next = nextJunkSampleSize({ ...base, rows: rows(10, 10, () => 0) });
    expect(next).toBe(Math.ceil((100 * MIN_JUNK_CONVERSATIONS) / 10)); // 100 candidates over 10 conversations → 300
  });

  it("stops once the check is decided: an interval wholly within, or wholly beyond, the limit", () => {
    expect(nextJunkSampleSize({ ...base, rows: rows(40, 5, () => 0) })).toBeUndefined(); // [0, 0]
    expect(
      nextJunkSampleSize({ ...base, rows: rows(40, 5, (_, role) => (role === "candidate" ? 3 : 0)) }),
    ).toBeUndefined(); // +60 pp
  });

  it("grows an inconclusive check to the size its spread says would decide it, at least 1.5 × and at most the maximum", () => {
    const straddling = rows(30, 4, noisy);
    const next = nextJunkSampleSize({ ...base, rows: straddling, size: 120 })!;
    expect(next).toBeGreaterThanOrEqual(Math.ceil(120 * JUNK_GROWTH_FACTOR));
    expect(next).toBeLessThanOrEqual(1000);
    expect(nextJunkSampleSize({ ...base, rows: straddling, size: 120, maxSize: 150 })).toBe(150);
    expect(nextJunkSampleSize({ ...base, rows: straddling, size: 150, maxSize: 150 })).toBeUndefined();
    expect(nextJunkSampleSize({ ...base, rows: straddling, size: 120, exhausted: true })).toBeUndefined();
  });

  it("stays within what the remaining budget pays for at the junk cost measured so far", () => {
    const straddling = rows(30, 4, noisy);
    // 120 candidates judged per side; $0.01 a candidate, $2 left: 90% of it pays for 90 more per side
    expect(
      nextJunkSampleSize({ ...base, rows: straddling, size: 120, budget: { remainingUsd: 2, usdPerCandidate: 0.01 } }),
    ).toBe(120 + 90);
    expect(
      nextJunkSampleSize({ ...base, rows: straddling, size: 120, budget: { remainingUsd: 0, usdPerCandidate: 0.01 } }),
    ).toBeUndefined();
  });
});

describe("firstJunkRoundSize: the growth no verdict can change, drawn as the first round", () => {
  // Sixty paired conversations of 4 candidates a side: junk_sample_size 40 draws 10 of them.
  const many = Array.from({ length: 60 }, (_, i) => `m${i}`);
  const fours = Object.fromEntries(
    (["baseline", "candidate"] as const).map((role) => [role, new Map(many.map((id) => [id, 4]))]),
  ) as Record<ConfigRole, Map<string, number>>;
  const order = junkSampleOrder(many, 42);
  const bench = {
    junk_sample_size: 40,
    junk_sample_max: 1000,
    seed: 42,
    bootstrap_resamples: 500,
    thresholds: { max_junk_increase: 0.05 },
  } as Parameters<typeof firstJunkRoundSize>[2];

  /** The sizes a run drawing one round at a time reaches while the sample spans too few conversations to decide on. */
  function roundByRound(first: number, maxSize: number): number[] {
    const sizes = [first];
    for (;;) {
      const sample = drawJunkSample(order, fours, sizes.at(-1)!);
      const next = nextJunkSampleSize({
        rows: [...sample.values()].map((d) => ({
          baseline: { numerator: 0, denominator: d.baseline.length },
          candidate: { numerator: 0, denominator: d.candidate.length },
        })),
        limit: 0.05,
        size: sizes.at(-1)!,
        maxSize,
        exhausted: sample.size === many.length,
        seed: 42,
        resamples: 500,
      });
      if (next === undefined || sample.size >= MIN_JUNK_CONVERSATIONS) return sizes;
      sizes.push(next);
    }
  }

  it("is the size the rounds reach before the sample spans MIN_JUNK_CONVERSATIONS conversations", () => {
    expect(drawJunkSample(order, fours, 40).size).toBe(10);
    expect(roundByRound(40, 1000)).toEqual([40, 120]); // 40 candidates over 10 conversations → 120 over 30
    expect(firstJunkRoundSize(order, fours, bench)).toBe(120);
    expect(drawJunkSample(order, fours, 120).size).toBe(MIN_JUNK_CONVERSATIONS);
  });

  it("keeps a first size that spans enough conversations already, and stops at junk_sample_max or the whole set", () => {
    expect(firstJunkRoundSize(order, fours, { ...bench, junk_sample_size: 200 })).toBe(200);
    expect(firstJunkRoundSize(order, fours, { ...bench, junk_sample_max: 80 })).toBe(80);
    expect(firstJunkRoundSize(order, fours, { ...bench, junk_sample_max: 40 })).toBe(40);
    const few = junkSampleOrder(many.slice(0, 12), 42);
    const size = firstJunkRoundSize(few, fours, bench);
    expect(drawJunkSample(few, fours, size).size).toBe(12);
  });
});
