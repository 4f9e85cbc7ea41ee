import { beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../src/metrics/random.js";
import type { RawCandidateInput } from "../../src/schema/candidate.js";
import type { BenchReport } from "../../src/schema/report.js";
import { benchInMemory } from "./bench-in-memory.js";
import { benchWithNoisyJudge } from "./noisy-judge.js";
import { allOf, generateWorld, smallTalkCandidate, type TruthCandidate, type World } from "./synthetic-world.js";

/**
 * A simulated judge with a known flip rate (see noisy-judge.ts) against the same synthetic worlds the
 * known-truth tests use: the bench must get the flip rate back from its repeats, correct the levels
 * the noise biases, carry the noise into the intervals the gate reads, and never fail an unchanged
 * extractor for the judge's noise.
 */

const FLIP_RATE = 0.15;
const WORLD = { recall: 0.8, junkRate: 0.05 };
type Sides = { baseline: Map<string, RawCandidateInput[]>; candidate: Map<string, RawCandidateInput[]> };
const raw = (side: Map<string, TruthCandidate[]>) =>
  new Map([...side].map(([id, list]) => [id, list.map((c) => c.raw)]));
const identical = (world: World): Sides => ({ baseline: raw(world.baseline), candidate: raw(world.baseline) });
const seeds = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const check = (report: BenchReport, id: string) => report.gate.checks.find((c) => c.id === id)!;

/** Junk added to the candidate side so its true junk rate rises by `rise`. */
function injectJunk(world: World, rise: number, seed: number): Sides {
  const rng = createRng(seed ^ 0x5eed);
  const candidate = new Map([...world.baseline].map(([id, list]) => [id, [...list]]));
  const all = allOf(world.baseline);
  const rate = all.filter((c) => c.junk).length / all.length;
  const add = Math.round((rise * all.length) / (1 - rate - rise));
  for (let n = 0; n < add; n++) {
    const conversation = world.conversations[Math.floor(rng() * world.conversations.length)]!;
    const userTurn = conversation.turns.find((t) => t.role === "user")!;
    candidate.get(conversation.id)!.push({ raw: smallTalkCandidate(userTurn.speaker, userTurn.id, n), junk: true });
  }
  return { baseline: raw(world.baseline), candidate: raw(candidate) };
}

describe("a judge that flips 15% of its verdicts", () => {
  const world = generateWorld(1, { ...WORLD, conversations: 300 });
  let noisy: BenchReport;
  let clean: BenchReport;
  // Every test reads both reports: made once, before any of them, so each test stands on its own.
  beforeAll(async () => {
    noisy = await benchWithNoisyJudge(world, identical(world), { seed: 1, flipRate: FLIP_RATE });
    clean = await benchInMemory(world, identical(world), { seed: 1 });
  });

  it("gets its flip rate back from the repeats, within a few points, for every kind of verdict", () => {
    const noise = noisy.judge_noise!;
    // The disagreement of two judgements is about twice the flip rate: 2q(1 − q) = 0.255.
    expect(noise.usefulness.rate!).toBeGreaterThan(0.2);
    for (const part of [noise.usefulness, noise.coverage]) {
      expect(part.compared).toBeGreaterThan(600);
      expect(Math.abs(part.flip_rate! - FLIP_RATE)).toBeLessThan(0.03);
    }
    // Fewer junk verdicts are repeated (only the junk sample's): a looser bound.
    expect(noise.junk!.compared).toBeGreaterThan(300);
    expect(Math.abs(noise.junk!.flip_rate! - FLIP_RATE)).toBeLessThan(0.04);
  });

  it("reports the levels corrected for it beside the biased raw ones, close to the noise-free values", () => {
    const pairs = [
      [noisy.metrics.baseline.precision, clean.metrics.baseline.precision.value!],
      [noisy.metrics.baseline.recall, clean.metrics.baseline.recall.value!],
    ] as const;
    for (const [level, truth] of pairs) {
      expect(Math.abs(level.value! - truth)).toBeGreaterThan(0.05); // the raw level is biased toward one half
      expect(Math.abs(level.corrected!.value! - truth)).toBeLessThan(0.04);
      expect(level.corrected!.ci![0]).toBeLessThanOrEqual(truth);
      expect(level.corrected!.ci![1]).toBeGreaterThanOrEqual(truth);
    }
    const junk = noisy.metrics.baseline.junk;
    expect(junk.rate! - clean.metrics.baseline.junk.rate!).toBeGreaterThan(0.08); // 0.19 observed for about 0.05
    expect(Math.abs(junk.corrected!.value! - clean.metrics.baseline.junk.rate!)).toBeLessThan(0.05);
  });

  it("carries the noise into the interval the gate reads, and says how much of it is the judge's", () => {
    const precision = noisy.metrics.delta.precision;
    const [low, high] = precision.corrected!.ci!;
    expect(high - low).toBeGreaterThan(precision.ci![1] - precision.ci![0]); // the correction widens it by 1 / (1 − 2q)
    expect(precision.corrected!.noise_spread!).toBeGreaterThan(0.02);
    expect(check(noisy, "precision_drop").detail).toContain("corrected for judge noise");
    expect(check(noisy, "precision_drop").noise_spread).toBe(precision.corrected!.noise_spread);
  });

  it("grows the junk sample past its first 100 candidates while the junk check is undecided", () => {
    expect(noisy.metrics.baseline.junk.judged).toBeGreaterThan(100);
    expect(noisy.metrics.baseline.junk.judged).toBeLessThanOrEqual(1000 + 20);
  });
});

describe("an unchanged extractor under that judge", () => {
  it("never fails the gate in 20 seeds; what the noise leaves undecided is inconclusive, not failed", async () => {
    const failures: string[] = [];
    let inconclusive = 0;
    for (const seed of seeds(20)) {
      const world = generateWorld(seed, { ...WORLD, conversations: 200 });
      const report = await benchWithNoisyJudge(world, identical(world), { seed, flipRate: FLIP_RATE });
      const failed = report.gate.checks.filter((c) => c.status === "failed");
      if (!report.gate.passed || failed.length > 0)
        failures.push(`seed ${seed}: ${failed.map((c) => c.detail).join("; ")}`);
      inconclusive += report.gate.checks.filter((c) => c.status === "inconclusive").length;
    }
    expect(failures).toEqual([]);
    expect(inconclusive).toBeGreaterThan(0); // a 0 pp recall limit cannot be proven under this much noise
  }, 120_000);
});

describe("a true +12 pp junk rise under that judge", () => {
  it("is caught in most seeds, the corrected interval holding the true rise", async () => {
    let caught = 0;
    let covered = 0;
    const runs = 10;
    for (const seed of seeds(runs, 200)) {
      const world = generateWorld(seed, { ...WORLD, conversations: 300 });
      const sides = injectJunk(world, 0.12, seed);
      const truth = (await benchInMemory(world, sides, { seed })).metrics.delta.junk.value!;
      const report = await benchWithNoisyJudge(world, sides, { seed, flipRate: FLIP_RATE });
      if (check(report, "junk_increase").status === "failed") caught++;
      const [low, high] = report.metrics.delta.junk.corrected!.ci!;
      if (low <= truth && truth <= high) covered++;
    }
    expect(caught).toBeGreaterThanOrEqual(7);
    expect(covered).toBeGreaterThanOrEqual(9);
  }, 120_000);
});
