import { describe, expect, it } from "vitest";
import { changeCounts, pairCandidates, summarizePairs, type CandidatePair } from "../../src/metrics/pairing.js";
import { makeCandidate } from "./fixtures.js";

describe("pairCandidates", () => {
  it("pairs the same fact: overlapping evidence and the same object", () => {
    const a = makeCandidate({ predicate: "works_at", object: "Acme Corp", evidence: ["t1", "t2"] });
    const b = makeCandidate({ predicate: "worksAt", object: "acme corp ", evidence: ["t2"] }); // case and spaces ignored
    expect(pairCandidates([a], [b])).toEqual([{ baseline: a, candidate: b }]);
  });

  it("requires overlapping evidence", () => {
    const a = makeCandidate({ object: "Acme Corp", evidence: ["t1"] });
    const b = makeCandidate({ object: "Acme Corp", evidence: ["t2"] });
    expect(pairCandidates([a], [b])).toEqual([]);
  });

  it("requires similar objects (token Dice ≥ 0.5)", () => {
    const a = makeCandidate({ object: "Acme", evidence: ["t1"] });
    // {acme} vs {acme, corp, berlin}: 2·1 / (1 + 3) = 0.5 → paired
    expect(pairCandidates([a], [makeCandidate({ object: "Acme Corp Berlin", evidence: ["t1"] })])).toHaveLength(1);
    // {acme} vs {acme, corp, berlin, office}: 2·1 / (1 + 4) = 0.4 → not paired
    expect(pairCandidates([a], [makeCandidate({ object: "Acme Corp Berlin Office", evidence: ["t1"] })])).toEqual([]);
    // no token in common
    expect(pairCandidates([a], [makeCandidate({ object: "Berlin", evidence: ["t1"] })])).toEqual([]);
  });

  it("is one-to-one, best score first", () => {
    const exact = makeCandidate({ object: "Acme Corp", evidence: ["t1"] });
    const partial = makeCandidate({ object: "Acme", evidence: ["t1"] });
    const target = makeCandidate({ object: "Acme Corp", evidence: ["t1"] });
    // exact–target scores 1, partial–target 2·1/3 ≈ 0.67: the exact match wins and target is used once
    expect(pairCandidates([partial, exact], [target])).toEqual([{ baseline: exact, candidate: target }]);
  });

  it("keeps the greedy assignment one-to-one across several candidates", () => {
    const a1 = makeCandidate({ object: "Acme Corp", evidence: ["t1"] });
    const a2 = makeCandidate({ object: "Acme", evidence: ["t1"] });
    const b1 = makeCandidate({ object: "Acme", evidence: ["t1"] });
    const b2 = makeCandidate({ object: "Acme Corp", evidence: ["t1"] });
    // scores: a1–b2 1, a2–b1 1, cross pairs 0.67 → a1–b2 and a2–b1
    expect(pairCandidates([a1, a2], [b1, b2])).toEqual([
      { baseline: a1, candidate: b2 },
      { baseline: a2, candidate: b1 },
    ]);
  });

  it("breaks ties in candidate order", () => {
    const a = makeCandidate({ object: "Acme", evidence: ["t1"] });
    const b1 = makeCandidate({ object: "Acme", evidence: ["t1"], predicate: "first" });
    const b2 = makeCandidate({ object: "acme", evidence: ["t1"], predicate: "second" });
    expect(pairCandidates([a], [b1, b2])).toEqual([{ baseline: a, candidate: b1 }]);
  });
});

const pair = (from: Parameters<typeof makeCandidate>[0], to: Parameters<typeof makeCandidate>[0]): CandidatePair => ({
  baseline: makeCandidate(from),
  candidate: makeCandidate(to),
});

/** A subject written as a slug that resolved to no known entity. */
const slug = (name: string) => ({
  subject: name,
  entities: [{ mention: name, id: `fallback-${name}`, stage: "fallback" as const }],
});

describe("summarizePairs", () => {
  it("counts predicate, type and subject changes, telling a new string from a new entity", () => {
    const pairs = [
      pair({ predicate: "works_at" }, { predicate: "worksAt" }), // predicate
      pair({ type: "preference" }, { type: "fact" }), // type
      pair({ subject: "Alice" }, slug("alice-chen")), // subject entity
      pair(
        { subject: "Alice", predicate: "likes", type: "preference" },
        { ...slug("alice-chen"), predicate: "enjoys", type: "fact" },
      ), // all three
      pair({ subject: "Alice" }, { subject: "Ms. Alice" }), // another string, the same entity
      pair({}, {}), // nothing
    ];
    expect(summarizePairs(pairs)).toEqual({
      pairs: 6,
      by_evidence: 6,
      by_subject_object: 0,
      predicate_changed: 2, // pairs 1 and 4
      type_changed: 2, // pairs 2 and 4
      subject_text_changed: 3, // pairs 3, 4 and 5
      subject_entity_changed: 2, // pairs 3 and 4: "Ms. Alice" resolves to Alice's entity
      subject_examples: [{ from: "Alice", to: "alice-chen" }], // the same change listed once
    });
  });

  it("keeps at most 5 distinct subject examples", () => {
    const pairs = ["A", "B", "C", "D", "E", "F"].map((name) => pair({ subject: name }, slug(name.toLowerCase())));
    const summary = summarizePairs(pairs);
    expect(summary.subject_entity_changed).toBe(6);
    expect(summary.subject_examples.map((e) => e.from)).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("is all zero for no pairs", () => {
    expect(summarizePairs([])).toEqual({
      pairs: 0,
      by_evidence: 0,
      by_subject_object: 0,
      predicate_changed: 0,
      type_changed: 0,
      subject_text_changed: 0,
      subject_entity_changed: 0,
      subject_examples: [],
    });
  });
});

describe("pairCandidates without evidence", () => {
  it("pairs by subject and object when a side cites no evidence turn, and marks those pairs", () => {
    const a = makeCandidate({ subject: "Alice", object: "Acme Corp", evidence: ["t1"] });
    const b = makeCandidate({ subject: "Alice", object: "Acme Corp", evidence: [] });
    expect(pairCandidates([a], [b])).toEqual([{ baseline: a, candidate: b, by: "subject_object" }]);
    expect(summarizePairs(pairCandidates([a], [b]))).toMatchObject({ pairs: 1, by_evidence: 0, by_subject_object: 1 });
  });

  it("pairs a naming change whose subjects share a name (a slug of the same person), not another person", () => {
    const a = makeCandidate({ subject: "Alice Chen", object: "hiking", evidence: [] });
    const slugged = makeCandidate({ ...slug("alice-chen"), object: "hiking", evidence: [] });
    const other = makeCandidate({
      subject: "Marcus",
      object: "hiking",
      evidence: [],
      entities: [{ mention: "Marcus", id: "entity-2", stage: "exact" }],
    });
    expect(pairCandidates([a], [slugged])).toHaveLength(1);
    expect(summarizePairs(pairCandidates([a], [slugged])).subject_entity_changed).toBe(1);
    expect(pairCandidates([a], [other])).toEqual([]);
  });

  it("still needs similar objects, and prefers a pair by evidence", () => {
    const a = makeCandidate({ subject: "Alice", object: "Acme Corp", evidence: ["t1"] });
    expect(pairCandidates([a], [makeCandidate({ subject: "Alice", object: "Berlin", evidence: [] })])).toEqual([]);
    const byEvidence = makeCandidate({ subject: "Alice", object: "Acme", evidence: ["t1"] });
    const withoutEvidence = makeCandidate({ subject: "Alice", object: "Acme Corp", evidence: [] });
    expect(pairCandidates([a], [withoutEvidence, byEvidence])).toEqual([{ baseline: a, candidate: byEvidence }]);
  });

  it("never pairs two candidates that both cite evidence but no common turn", () => {
    const a = makeCandidate({ subject: "Alice", object: "Acme Corp", evidence: ["t1"] });
    expect(pairCandidates([a], [makeCandidate({ subject: "Alice", object: "Acme Corp", evidence: ["t2"] })])).toEqual(
      [],
    );
  });
});

describe("changeCounts", () => {
  const pairs = [
    pair({ predicate: "lives_in" }, { predicate: "livesIn" }),
    pair({ predicate: "works_at" }, { predicate: "worksAt" }),
    pair({ predicate: "has_child" }, { predicate: "hasChild" }),
    pair({ predicate: "works_at" }, { predicate: "worksAt" }),
    pair({ predicate: "works_at" }, { predicate: "employed_by" }),
    pair({ predicate: "likes" }, { predicate: "likes" }), // unchanged: not counted
  ];

  it("counts from → to, most frequent first, then by from and to", () => {
    expect(changeCounts(pairs, "predicate")).toEqual([
      { from: "works_at", to: "worksAt", count: 2 },
      { from: "has_child", to: "hasChild", count: 1 },
      { from: "lives_in", to: "livesIn", count: 1 },
      { from: "works_at", to: "employed_by", count: 1 },
    ]);
  });

  it("works on types too", () => {
    const typePairs = [
      pair({ type: "preference" }, { type: "fact" }),
      pair({ type: "preference" }, { type: "fact" }),
      pair({ type: "fact" }, { type: "fact" }),
    ];
    expect(changeCounts(typePairs, "type")).toEqual([{ from: "preference", to: "fact", count: 2 }]);
  });
});
