import { describe, expect, it } from "vitest";
import { createRng } from "../../src/metrics/random.js";
import type { RawCandidateInput } from "../../src/schema/candidate.js";
import type { BenchReport } from "../../src/schema/report.js";
import { slugify } from "../../src/text/tokens.js";
import { benchInMemory } from "./bench-in-memory.js";
import { allOf, generateWorld, smallTalkCandidate, type TruthCandidate, type World } from "./synthetic-world.js";

/**
 * Upgrade scenarios whose truth is known by construction: the candidate's output is the baseline's
 * transformed by a known rule, and each test checks the bench against the size of that rule.
 */

const CONVERSATIONS = 300;
const WORLD = { conversations: CONVERSATIONS, recall: 0.8, junkRate: 0.05 };

type Sides = { baseline: Map<string, RawCandidateInput[]>; candidate: Map<string, RawCandidateInput[]> };
const raw = (side: Map<string, TruthCandidate[]>) =>
  new Map([...side].map(([id, list]) => [id, list.map((c) => c.raw)]));

function junkShare(side: Map<string, TruthCandidate[]>): number {
  const all = allOf(side);
  return all.filter((c) => c.junk).length / all.length;
}

/** Add junk to the candidate side so its true junk rate rises by `rise` (a fraction); returns the realized rise. */
function injectJunk(world: World, rise: number, seed: number): { sides: Sides; truth: number } {
  const rng = createRng(seed ^ 0x5eed);
  const candidate = new Map([...world.baseline].map(([id, list]) => [id, [...list]]));
  const total = allOf(world.baseline).length;
  const rate = junkShare(world.baseline);
  const add = Math.round((rise * total) / (1 - rate - rise));
  const ids = world.conversations.map((c) => c.id);
  for (let n = 0; n < add; n++) {
    const id = ids[Math.floor(rng() * ids.length)]!;
    const conversation = world.conversations.find((c) => c.id === id)!;
    const userTurn = conversation.turns.find((t) => t.role === "user")!;
    candidate.get(id)!.push({ raw: smallTalkCandidate(userTurn.speaker, userTurn.id, n), junk: true });
  }
  return { sides: { baseline: raw(world.baseline), candidate: raw(candidate) }, truth: junkShare(candidate) - rate };
}

const identical = (world: World): Sides => ({ baseline: raw(world.baseline), candidate: raw(world.baseline) });
const seeds = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const junkCheck = (report: BenchReport) => report.gate.checks.find((c) => c.id === "junk_increase")!;

describe("identical configs", () => {
  it("never fail the gate, over 100 seeds", async () => {
    const failures: string[] = [];
    for (const seed of seeds(100)) {
      const world = generateWorld(seed, { ...WORLD, conversations: 60 });
      const report = await benchInMemory(world, identical(world), { seed });
      if (!report.gate.passed)
        failures.push(
          `seed ${seed}: ${report.gate.checks
            .filter((c) => c.status !== "passed")
            .map((c) => c.detail)
            .join("; ")}`,
        );
      expect(report.metrics.delta.junk.value).toBe(0);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("never fail the gate when junk is sampled for a paid judge either", async () => {
    for (const seed of seeds(20)) {
      const world = generateWorld(seed, WORLD);
      const report = await benchInMemory(world, identical(world), { seed, sampledJunk: 100 });
      expect(report.metrics.delta.junk.ci).toEqual([0, 0]); // the same conversations judged on both sides
      expect(report.gate.passed).toBe(true);
    }
  }, 120_000);
});

describe("junk rises of known size", () => {
  it("+12 pp is caught in at least 95% of seeds, and the interval holds the true rise", async () => {
    let caught = 0;
    let covered = 0;
    const runs = 20;
    for (const seed of seeds(runs, 200)) {
      const world = generateWorld(seed, WORLD);
      const { sides, truth } = injectJunk(world, 0.12, seed);
      expect(truth).toBeCloseTo(0.12, 2);
      const report = await benchInMemory(world, sides, { seed });
      if (junkCheck(report).status === "failed") caught++;
      const [low, high] = report.metrics.delta.junk.ci!;
      if (low <= truth + 1e-9 && truth - 1e-9 <= high) covered++;
    }
    expect(caught).toBeGreaterThanOrEqual(Math.ceil(0.95 * runs));
    expect(covered).toBeGreaterThanOrEqual(Math.ceil(0.95 * runs));
  }, 120_000);

  it("+12 pp is caught from a paired sample of 600 candidates judged by a paid judge, the interval holding the truth", async () => {
    let caught = 0;
    let covered = 0;
    const runs = 20;
    for (const seed of seeds(runs, 300)) {
      const world = generateWorld(seed, WORLD);
      const { sides, truth } = injectJunk(world, 0.12, seed);
      const report = await benchInMemory(world, sides, { seed, sampledJunk: 600 });
      expect(report.metrics.baseline.junk.judged).toBeLessThan(allOf(world.baseline).length);
      if (junkCheck(report).status === "failed") caught++;
      const [low, high] = report.metrics.delta.junk.ci!;
      if (low <= truth && truth <= high) covered++;
    }
    expect(caught).toBeGreaterThanOrEqual(Math.ceil(0.95 * runs));
    expect(covered).toBeGreaterThanOrEqual(Math.ceil(0.9 * runs)); // a 95% interval, 20 draws
  }, 120_000);

  it("a true +2 pp rise passes the gate in at least 95% of seeds", async () => {
    let passed = 0;
    const runs = 20;
    for (const seed of seeds(runs, 400)) {
      const world = generateWorld(seed, WORLD);
      const { sides } = injectJunk(world, 0.02, seed);
      if ((await benchInMemory(world, sides, { seed })).gate.passed) passed++;
    }
    expect(passed).toBeGreaterThanOrEqual(Math.ceil(0.95 * runs));
  }, 120_000);
});

describe("a recall drop of known size", () => {
  it("lies inside its interval, and the gate fails on it", async () => {
    const runs = 20;
    let covered = 0;
    for (const seed of seeds(runs, 500)) {
      const world = generateWorld(seed, WORLD);
      const rng = createRng(seed);
      // The candidate stops finding a fifth of what the baseline found.
      const candidate = new Map(
        [...world.baseline].map(([id, list]) => [id, list.filter((c) => c.junk || rng() >= 0.2)]),
      );
      const found = (side: Map<string, TruthCandidate[]>) => allOf(side).filter((c) => c.golden).length;
      const truth = (found(candidate) - found(world.baseline)) / world.golden.length;
      const report = await benchInMemory(world, { baseline: raw(world.baseline), candidate: raw(candidate) }, { seed });
      expect(report.metrics.delta.recall.value).toBeCloseTo(truth, 3);
      const [low, high] = report.metrics.delta.recall.ci!;
      if (low <= truth && truth <= high) covered++;
      expect(report.gate.checks.find((c) => c.id === "recall_drop")!.status).toBe("failed");
      expect(report.mcnemar.p_value).toBeLessThan(0.001);
    }
    expect(covered).toBeGreaterThanOrEqual(Math.ceil(0.9 * runs));
  }, 120_000);
});

describe("entity naming", () => {
  const world = generateWorld(7, WORLD);
  const rewriteSubjects = (rewrite: (subject: string, conversation: string) => string, share = 1) => {
    const rng = createRng(11);
    return new Map(
      [...world.baseline].map(([id, list]) => [
        id,
        list.map((c) => (c.junk || rng() >= share ? c.raw : { ...c.raw, subject: rewrite(c.raw.subject, id) })),
      ]),
    );
  };
  const fullName = (conversation: string) => world.conversations.find((c) => c.id === conversation)!.entities[0]!.name;

  it("slugged subjects leave every candidate mention unresolved and call for a full re-extraction", async () => {
    const candidate = rewriteSubjects((_, id) => slugify(fullName(id)));
    const report = await benchInMemory(world, { baseline: raw(world.baseline), candidate }, { seed: 7 });
    // every subject mention of a real fact is a slug: junk candidates' "assistant" is unresolved on both sides
    const facts = allOf(world.baseline).filter((c) => !c.junk).length;
    const junk = allOf(world.baseline).length - facts;
    expect(report.entities.candidate).toMatchObject({ mentions: facts + junk, fallback: facts + junk, fail_rate: 1 });
    expect(report.entities.baseline.fallback).toBe(junk);
    expect(report.recommendation.strategy).toBe("full_reextraction");
    expect(report.recommendation.rules.map((r) => r.id)).toContain("entity_naming");
    expect(report.gate.checks.find((c) => c.id === "entity_resolution_fail_increase")!.status).toBe("failed");
  });

  it("titled subjects that resolve to the same entity fire neither the naming row nor the gate", async () => {
    const candidate = rewriteSubjects((subject) => `Ms. ${subject}`, 0.6);
    const report = await benchInMemory(world, { baseline: raw(world.baseline), candidate }, { seed: 7 });
    expect(report.pairing.subject_text_changed).toBeGreaterThan(0.5 * report.pairing.pairs);
    expect(report.pairing.subject_entity_changed).toBe(0);
    expect(report.entities.fail_rate_delta).toBe(0);
    expect(report.recommendation.rules.map((r) => r.id)).not.toContain("entity_naming");
    expect(report.recommendation.strategy).toBe("coexist");
    expect(report.gate.passed).toBe(true);
  });
});

describe("types moved", () => {
  it("15% of one type moving to another fires the type row, though it is a small share of all pairs", async () => {
    const world = generateWorld(9, WORLD);
    const rng = createRng(3);
    const candidate = new Map(
      [...world.baseline].map(([id, list]) => [
        id,
        list.map((c) => (c.raw.type === "preference" && rng() < 0.15 ? { ...c.raw, type: "fact" } : c.raw)),
      ]),
    );
    const report = await benchInMemory(world, { baseline: raw(world.baseline), candidate }, { seed: 9 });
    const preference = report.types.moved_by_type.find((t) => t.type === "preference")!;
    expect(preference.share).toBeGreaterThanOrEqual(0.1);
    expect(preference.moved / report.pairing.pairs).toBeLessThan(0.05);
    expect(report.recommendation.rules.map((r) => r.id)).toEqual(["type_rules_changed"]);
    expect(report.recommendation.strategy).toBe("progressive_rollout");
    // the move shows on the golden set too: the candidate's type agreement falls
    expect(report.fields.delta.type.strict).toBeLessThan(0);
  });

  it("an unchanged extractor never fires it", async () => {
    for (const seed of seeds(10, 900)) {
      const world = generateWorld(seed, WORLD);
      const report = await benchInMemory(world, identical(world), { seed });
      expect(report.recommendation.rules).toEqual([]);
    }
  });
});
