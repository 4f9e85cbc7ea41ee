import { describe, expect, it } from "vitest";
import { alignToGolden, compareFieldScores, fieldMatches, scoreFields } from "../../src/metrics/field-alignment.js";
import { suggestNormalizations } from "../../src/metrics/normalization-suggestions.js";
import { GoldenMemorySchema } from "../../src/schema/golden.js";
import { makeCandidate } from "../fixtures/candidate.js";

const golden = (
  id: string,
  fields: { text: string; subject: string; predicate: string; object: string; type: string },
) => GoldenMemorySchema.parse({ id, conversation_id: "c1", evidence: ["t1"], ...fields });

describe("fieldMatches", () => {
  it.each([
    ["predicate", "works_at", "works_at", [true, true, true]],
    ["predicate", "works_at", "worksAt", [false, true, true]],
    ["predicate", "works_at", "employed_at", [false, false, false]],
    ["subject", "Priya Sharma", "Dr. Priya Sharma", [false, true, true]],
    ["subject", "Priya Sharma", "Priya", [false, false, true]],
    ["object", "Acme Corp", "acme corp.", [false, true, true]],
    ["object", "Acme Corp", "Acme", [false, false, true]],
    ["type", "preference", "fact", [false, false, false]],
  ] as const)("%s %s ~ %s: strict, exact, partial = %j", (field, a, b, expected) => {
    expect((["strict", "exact", "partial"] as const).map((mode) => fieldMatches(field, a, b, mode))).toEqual(expected);
  });
});

describe("alignToGolden and scoreFields", () => {
  const memories = [
    golden("g1", {
      text: "Alice works at Acme",
      subject: "Alice",
      predicate: "works_at",
      object: "Acme",
      type: "fact",
    }),
    golden("g2", {
      text: "Alice likes jazz",
      subject: "Alice",
      predicate: "likes",
      object: "jazz",
      type: "preference",
    }),
  ];
  const candidates = [
    makeCandidate({ text: "Alice likes jazz", predicate: "likes", object: "jazz", type: "fact" }), // the type moved
    makeCandidate({ text: "Alice works at Acme", predicate: "worksAt", object: "Acme", type: "fact" }),
    makeCandidate({ text: "Alice owns a bike", predicate: "owns", object: "bike", type: "fact" }), // matches nothing
  ];

  it("aligns one to one by similarity, whatever the order", () => {
    const pairs = alignToGolden(new Set(), memories, candidates, []);
    expect(pairs.map((p) => [p.golden.id, p.candidate.object])).toEqual([
      ["g1", "Acme"],
      ["g2", "jazz"],
    ]);
  });

  it("scores each field: precision over candidates, recall over golden memories", () => {
    const scores = scoreFields(alignToGolden(new Set(), memories, candidates, []), candidates.length, memories);
    expect(scores).toMatchObject({ aligned: 2, candidates: 3, golden: 2 });
    // predicate strict: likes only (worksAt ≠ works_at) → P 1/3, R 1/2; exact: both → P 2/3, R 1
    expect(scores.fields.predicate.strict).toMatchObject({ matched: 1, precision: 1 / 3, recall: 0.5 });
    expect(scores.fields.predicate.exact).toMatchObject({ matched: 2, precision: 2 / 3, recall: 1 });
    expect(scores.fields.predicate.exact.f1).toBeCloseTo(0.8, 12);
    // type: g1 fact = fact, g2 preference ≠ fact
    expect(scores.fields.type.strict.matched).toBe(1);
  });

  it("shows a type move on the golden set as a negative delta", () => {
    const before = scoreFields(
      alignToGolden(new Set(), memories, [candidates[1]!, { ...candidates[0]!, type: "preference" }], []),
      2,
      memories,
    );
    const after = scoreFields(alignToGolden(new Set(), memories, candidates.slice(0, 2), []), 2, memories);
    expect(compareFieldScores(before, after).delta.type.strict).toBeCloseTo(-0.5, 12);
  });
});

describe("suggestNormalizations", () => {
  const fact = (predicate: string, object: string, subject = "Alice") =>
    makeCandidate({
      predicate,
      object,
      subject,
      entities: [{ mention: subject, id: `ent-${subject}`, stage: "exact" }],
    });

  it("maps spellings and near-synonyms whose subject–object pairs overlap, ranked by what they reconcile", () => {
    const baseline = [
      fact("works_at", "Acme"),
      fact("works_at", "Globex", "Bob"),
      fact("lives_in", "Leeds"),
      fact("likes", "jazz"),
    ];
    const candidate = [
      fact("works_for", "Acme"),
      fact("works_for", "Globex", "Bob"),
      fact("livesIn", "Leeds"),
      fact("plays", "jazz", "Carol"), // a new fact: nothing shared
      fact("likes", "jazz"),
    ];
    expect(suggestNormalizations(baseline, candidate, [])).toEqual([
      { from: "works_for", to: "works_at", reason: "synonym", reconciles: 2 },
      { from: "livesIn", to: "lives_in", reason: "spelling", reconciles: 1 },
    ]);
  });

  it("never remaps a predicate the baseline uses, nor on a chance overlap", () => {
    const baseline = [fact("likes", "Stripe"), ...Array.from({ length: 5 }, (_, i) => fact("enjoys", `x${i}`))];
    const candidate = [
      fact("likes", "Stripe"),
      fact("worksFor", "Stripe"),
      ...Array.from({ length: 5 }, (_, i) => fact("worksFor", `y${i}`)),
    ];
    expect(suggestNormalizations(baseline, candidate, [])).toEqual([]); // 1 of 6 worksFor facts shared with likes: < 30%
  });
});
