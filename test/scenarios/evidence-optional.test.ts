import { describe, expect, it } from "vitest";
import { slugify } from "../../src/text/tokens.js";
import { benchInMemory } from "./bench-in-memory.js";
import { generateWorld, type TruthCandidate } from "./synthetic-world.js";

/**
 * Evidence is optional: memories without evidence turns are judged against their conversation and
 * pair by subject and object; what still cannot be measured is said to be so.
 */

const world = generateWorld(21, { conversations: 120, recall: 0.8, junkRate: 0.05 });
const raw = (
  side: Map<string, TruthCandidate[]>,
  change: (c: TruthCandidate["raw"], id: string) => TruthCandidate["raw"] = (c) => c,
) => new Map([...side].map(([id, list]) => [id, list.map((c) => change(c.raw, id))]));
const withoutEvidence = (c: TruthCandidate["raw"]) => ({ ...c, evidence: [] });
const fullName = (id: string) => world.conversations.find((c) => c.id === id)!.entities[0]!.name;

describe("memories without evidence", () => {
  it("that are otherwise the baseline's score as the baseline's: no precision collapse, no junk rise", async () => {
    const report = await benchInMemory(
      world,
      { baseline: raw(world.baseline), candidate: raw(world.baseline, withoutEvidence) },
      { seed: 21 },
    );
    expect(report.metrics.candidate.precision.value).toBe(report.metrics.baseline.precision.value);
    expect(report.metrics.delta.junk.value).toBe(0);
    expect(report.metrics.delta.recall.value).toBe(0);
    // paired by subject and object instead of evidence
    expect(report.pairing.pairs).toBeGreaterThan(100);
    expect(report.pairing.by_subject_object).toBe(report.pairing.pairs);
    expect(report.gate.checks.find((c) => c.id === "precision_drop")!.status).toBe("passed");
  });

  it("still show a change of entity naming: slugged subjects pair by name and call for a full re-extraction", async () => {
    const slugged = (c: TruthCandidate["raw"], id: string) =>
      c.subject === "assistant" ? withoutEvidence(c) : { ...withoutEvidence(c), subject: slugify(fullName(id)) };
    const report = await benchInMemory(
      world,
      { baseline: raw(world.baseline, withoutEvidence), candidate: raw(world.baseline, slugged) },
      { seed: 21 },
    );
    expect(report.pairing.by_subject_object).toBeGreaterThan(100);
    expect(report.recommendation.rules.map((r) => r.id)).toContain("entity_naming");
    expect(report.recommendation.strategy).toBe("full_reextraction");
    expect(report.recommendation.rules.find((r) => r.id === "entity_naming")!.evidence.join("\n")).toContain(
      "pairs were made by subject and object",
    );
  });

  it("whose facts cannot be paired at all say that naming and type drift was not measured, instead of a silent coexist", async () => {
    // Every subject renamed to an opaque id and every object reworded: nothing pairs by subject and object.
    const opaque = (c: TruthCandidate["raw"], id: string) => ({
      ...withoutEvidence(c),
      subject: `user-${id}`,
      object: `${`${c.object} (restated)`.split(" ").reverse().join(" ")} zz`,
    });
    const report = await benchInMemory(
      world,
      { baseline: raw(world.baseline, withoutEvidence), candidate: raw(world.baseline, opaque) },
      { seed: 21 },
    );
    expect(report.pairing.pairs).toBeLessThan(5);
    expect(report.recommendation.not_measured?.[0]).toMatch(
      /^entity naming and type moves: only \d+ facts of the two configs paired \(0 by shared evidence turns, \d+ by subject and object\), fewer than 5/,
    );
  });
});
