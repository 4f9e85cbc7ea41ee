import { describe, expect, it } from "vitest";
import {
  compareVocabularies,
  computePredicateJaccard,
  jaccardBand,
  topPredicates,
} from "../../src/metrics/vocabulary.js";
import { candidatesWith } from "./fixtures.js";

const set = (...values: string[]) => new Set(values);

describe("topPredicates", () => {
  const candidates = [
    ...candidatesWith(2, { predicate: "likes" }),
    ...candidatesWith(3, { predicate: "works_at" }),
    ...candidatesWith(2, { predicate: "has_child" }),
    ...candidatesWith(1, { predicate: "lives_in" }),
  ];
  it("orders by count, ties alphabetically", () => {
    // works_at 3; has_child 2 and likes 2 tie → alphabetical; lives_in 1
    expect(topPredicates(candidates, 10)).toEqual([
      { predicate: "works_at", count: 3 },
      { predicate: "has_child", count: 2 },
      { predicate: "likes", count: 2 },
      { predicate: "lives_in", count: 1 },
    ]);
  });
  it("cuts at k after the tie-break", () => {
    // top 2: works_at, then has_child wins the tie with likes
    expect(topPredicates(candidates, 2).map((p) => p.predicate)).toEqual(["works_at", "has_child"]);
  });
});

describe("computePredicateJaccard", () => {
  it("is 0 for disjoint sets", () => {
    expect(computePredicateJaccard(set("a", "b"), set("c", "d"))).toBe(0); // 0 shared / 4
  });
  it("is 1 for identical sets", () => {
    expect(computePredicateJaccard(set("a", "b", "c"), set("c", "b", "a"))).toBe(1); // 3 / 3
  });
  it("is |∩| / |∪| for overlapping sets", () => {
    expect(computePredicateJaccard(set("a", "b", "c"), set("b", "c", "d"))).toBe(0.5); // {b,c} / {a,b,c,d} = 2/4
    expect(computePredicateJaccard(set("a", "b", "c", "d"), set("a", "b", "c", "d", "e"))).toBe(0.8); // 4/5
    expect(computePredicateJaccard(set("a"), set("a", "b", "c"))).toBeCloseTo(1 / 3, 12); // 1/3
  });
  it("is 0 when one side is empty and null when both are", () => {
    expect(computePredicateJaccard(set(), set("a"))).toBe(0); // 0 / 1
    expect(computePredicateJaccard(set(), set())).toBeNull();
  });
});

describe("jaccardBand", () => {
  it.each([
    [1, "minimal"],
    [0.8, "minimal"], // ≥ 0.8
    [0.79, "noticeable"],
    [0.5, "noticeable"], // 0.5–0.8
    [0.49, "significant"], // < 0.5
    [0, "significant"],
  ] as const)("%d → %s", (jaccard, band) => {
    expect(jaccardBand(jaccard)).toBe(band);
  });
  it("null stays null", () => {
    expect(jaccardBand(null)).toBeNull();
  });
  it("real 4/5 and 1/2 Jaccards land in minimal and noticeable", () => {
    expect(jaccardBand(computePredicateJaccard(set("a", "b", "c", "d"), set("a", "b", "c", "d", "e")))).toBe("minimal"); // 4/5 = 0.8
    expect(jaccardBand(computePredicateJaccard(set("a", "b", "c"), set("b", "c", "d")))).toBe("noticeable"); // 2/4 = 0.5
  });
});

describe("compareVocabularies", () => {
  // baseline: a ×3, b ×2, c ×1; candidate: a ×3, b ×2, d ×1
  const baseline = [
    ...candidatesWith(3, { predicate: "a" }),
    ...candidatesWith(2, { predicate: "b" }),
    ...candidatesWith(1, { predicate: "c" }),
  ];
  const candidate = [
    ...candidatesWith(3, { predicate: "a" }),
    ...candidatesWith(2, { predicate: "b" }),
    ...candidatesWith(1, { predicate: "d" }),
  ];

  it("top-K truncation changes the Jaccard", () => {
    const top2 = compareVocabularies(baseline, candidate, 2, []);
    expect(top2.jaccard).toBe(1); // {a,b} vs {a,b} = 2/2
    expect(top2.band).toBe("minimal");
    expect(top2.only_baseline).toEqual([]);

    const top3 = compareVocabularies(baseline, candidate, 3, []);
    expect(top3.jaccard).toBe(0.5); // {a,b,c} vs {a,b,d} = 2/4
    expect(top3.band).toBe("noticeable");
  });

  it("lists shared and one-sided predicates, sorted, and passes renames through", () => {
    const renames = [{ from: "c", to: "d", count: 1 }];
    expect(compareVocabularies(baseline, candidate, 50, renames)).toEqual({
      top_k: 50,
      jaccard: 0.5,
      band: "noticeable",
      shared: ["a", "b"],
      only_baseline: ["c"],
      only_candidate: ["d"],
      renames,
      suggestions: [{ from: "d", to: "c", reason: "renamed", reconciles: 1 }],
    });
  });

  it("is null with no predicates at all", () => {
    const empty = compareVocabularies([], [], 50, []);
    expect(empty.jaccard).toBeNull();
    expect(empty.band).toBeNull();
  });
});
