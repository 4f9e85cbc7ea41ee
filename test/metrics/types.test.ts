import { describe, expect, it } from "vitest";
import { compareTypes, MIN_TYPE_COUNT, MIN_TYPE_SHARE } from "../../src/metrics/types.js";
import { candidatesWith } from "./fixtures.js";

const ofType = (type: string, n: number) => candidatesWith(n, { type });

describe("compareTypes", () => {
  it("uses the documented thresholds", () => {
    expect(MIN_TYPE_COUNT).toBe(2);
    expect(MIN_TYPE_SHARE).toBe(0.01);
  });

  it("counts types per config, most frequent first, ties alphabetically", () => {
    const change = compareTypes(
      [...ofType("event", 2), ...ofType("fact", 5), ...ofType("preference", 2)],
      ofType("fact", 3),
      [],
    );
    expect(change.baseline).toEqual({ fact: 5, event: 2, preference: 2 });
    expect(Object.keys(change.baseline)).toEqual(["fact", "event", "preference"]);
    expect(change.candidate).toEqual({ fact: 3 });
  });

  it("reports a type that appears with at least MIN_TYPE_COUNT candidates", () => {
    // candidate: event 2 of 10 = 20% ≥ 1%, count 2 ≥ 2 → appeared
    expect(compareTypes(ofType("fact", 10), [...ofType("fact", 8), ...ofType("event", 2)], []).appeared).toEqual([
      "event",
    ]);
    // a single event: count 1 < 2 → not a new type
    expect(compareTypes(ofType("fact", 10), [...ofType("fact", 9), ...ofType("event", 1)], []).appeared).toEqual([]);
  });

  it("reports a type that appears only from MIN_TYPE_SHARE of the candidates", () => {
    // 2 of 200 = 0.01 → at the share threshold → appeared
    expect(compareTypes(ofType("fact", 10), [...ofType("fact", 198), ...ofType("event", 2)], []).appeared).toEqual([
      "event",
    ]);
    // 2 of 250 = 0.008 < 0.01 → noise, not a new type
    expect(compareTypes(ofType("fact", 10), [...ofType("fact", 248), ...ofType("event", 2)], []).appeared).toEqual([]);
  });

  it("reports a type that disappears, with the same thresholds on the baseline side", () => {
    // baseline relation 3 of 13, candidate none → disappeared
    expect(compareTypes([...ofType("fact", 10), ...ofType("relation", 3)], ofType("fact", 10), []).disappeared).toEqual(
      ["relation"],
    );
    // baseline relation 1 → below MIN_TYPE_COUNT → not reported
    expect(compareTypes([...ofType("fact", 10), ...ofType("relation", 1)], ofType("fact", 10), []).disappeared).toEqual(
      [],
    );
    // 2 of 202 ≈ 0.0099 < 0.01 → not reported
    expect(
      compareTypes([...ofType("fact", 200), ...ofType("relation", 2)], ofType("fact", 10), []).disappeared,
    ).toEqual([]);
  });

  it("does not report a type the other config still has, however rarely", () => {
    // baseline relation 5; candidate relation 1 → still present, not disappeared
    expect(
      compareTypes(
        [...ofType("fact", 10), ...ofType("relation", 5)],
        [...ofType("fact", 10), ...ofType("relation", 1)],
        [],
      ).disappeared,
    ).toEqual([]);
  });

  it("sorts appeared/disappeared and passes moved through", () => {
    const moved = [{ from: "preference", to: "fact", count: 4 }];
    const change = compareTypes(
      [...ofType("fact", 4), ...ofType("zeta", 2), ...ofType("alpha", 2)],
      [...ofType("fact", 4), ...ofType("omega", 2), ...ofType("beta", 3)],
      moved,
    );
    expect(change.appeared).toEqual(["beta", "omega"]);
    expect(change.disappeared).toEqual(["alpha", "zeta"]);
    expect(change.moved).toBe(moved);
  });
});
