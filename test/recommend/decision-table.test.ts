import { describe, expect, it } from "vitest";
import {
  applyDecisionTable,
  DECISION_TABLE,
  pickWinningRule,
  type DecisionInput,
} from "../../src/recommend/decision-table.js";
import type { RecommendationRule } from "../../src/schema/report.js";
import { makeDiff, makePairing, makeTypeChange, makeVocabulary } from "../metrics/fixtures.js";

/** Nothing changed, enough measured: no row fires. */
function input(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    diff: makeDiff(),
    vocabulary: makeVocabulary(),
    types: makeTypeChange(),
    pairing: makePairing(),
    measured: true,
    ...overrides,
  };
}

/** A baseline type with `pairs` paired facts of which `moved` changed to `to`. */
function movedType(type: string, pairs: number, moved: number, to = "preference") {
  return { type, pairs, moved, share: moved / pairs, to: moved > 0 ? [{ type: to, count: moved }] : [] };
}

interface RowCase {
  id: string;
  risk: RecommendationRule["risk"];
  strategy: RecommendationRule["strategy"];
  input: DecisionInput;
  evidence: string[];
}

const ROWS: RowCase[] = [
  {
    id: "prompt_wording",
    risk: "low",
    strategy: "coexist",
    input: input({
      diff: makeDiff({
        prompt_changed: true,
        kinds: ["prompt", "sampling"],
        changed: [
          { field: "extractor.custom_instructions", kind: "prompt", baseline: "(unset)", candidate: "Be terse." },
          { field: "extractor.temperature", kind: "sampling", baseline: "0", candidate: "0.3" },
        ],
      }),
    }),
    evidence: ["extractor.custom_instructions: (unset) → Be terse."],
  },
  {
    id: "predicate_added",
    risk: "low",
    strategy: "coexist",
    // shared 4, one new predicate: 4/5 = 0.8, nothing of the baseline lost
    input: input({
      vocabulary: makeVocabulary({
        jaccard: 0.8,
        band: "minimal",
        shared: ["a", "b", "c", "d"],
        only_candidate: ["prefers"],
      }),
    }),
    evidence: ["new predicates: prefers", "every baseline predicate is still produced"],
  },
  {
    id: "model_upgrade",
    risk: "medium",
    strategy: "progressive_rollout",
    input: input({
      diff: makeDiff({
        model_changed: true,
        kinds: ["model"],
        changed: [
          { field: "extractor.model", kind: "model", baseline: "claude-haiku-4-5", candidate: "claude-sonnet-4-5" },
        ],
      }),
    }),
    evidence: ["extractor.model: claude-haiku-4-5 → claude-sonnet-4-5"],
  },
  {
    id: "type_rules_changed",
    risk: "medium",
    strategy: "progressive_rollout",
    // 3 of 20 paired preferences = 15% ≥ 10%, with ≥ 20 pairs of that type; 120 facts unmoved
    input: input({
      pairing: makePairing({ pairs: 140, type_changed: 3 }),
      types: makeTypeChange({
        moved: [{ from: "preference", to: "fact", count: 3 }],
        moved_by_type: [movedType("fact", 120, 0), movedType("preference", 20, 3, "fact")],
      }),
    }),
    evidence: ["3 of 20 paired memories typed preference (15%) changed type: fact 3"],
  },
  {
    id: "predicate_renamed",
    risk: "high",
    strategy: "progressive_rollout",
    // shared 3 of union 5 = 0.6 < 0.8, works_at gone
    input: input({
      vocabulary: makeVocabulary({
        jaccard: 0.6,
        band: "noticeable",
        shared: ["a", "b", "c"],
        only_baseline: ["works_at"],
        only_candidate: ["employed_by"],
        renames: [{ from: "works_at", to: "employed_by", count: 4 }],
      }),
    }),
    evidence: [
      "predicate Jaccard 0.600 over the top 50 (noticeable drift)",
      "baseline predicates gone: works_at",
      "renamed: works_at → employed_by (4 facts)",
    ],
  },
  {
    id: "entity_naming",
    risk: "high",
    strategy: "full_reextraction",
    // 4 of 8 pairs = 50% ≥ 50%
    input: input({
      pairing: makePairing({
        pairs: 8,
        subject_entity_changed: 4,
        subject_text_changed: 4,
        subject_examples: [{ from: "Alice Chen", to: "alice-chen" }],
      }),
    }),
    evidence: [
      "4 of 8 paired facts (50%) are about a different entity: their subjects no longer resolve to the same one",
      '"Alice Chen" → "alice-chen"',
    ],
  },
  {
    id: "type_structure",
    risk: "high",
    strategy: "full_reextraction",
    input: input({ types: makeTypeChange({ appeared: ["event"], disappeared: ["relation"] }) }),
    evidence: ["types only in candidate: event", "types only in baseline: relation"],
  },
];

describe("DECISION_TABLE", () => {
  it("has the seed's seven rows in table order", () => {
    expect(DECISION_TABLE.map((row) => [row.id, row.risk, row.strategy])).toEqual(
      ROWS.map((row) => [row.id, row.risk, row.strategy]),
    );
  });

  it("fires nothing when nothing changed", () => {
    expect(applyDecisionTable(input())).toEqual([]);
  });

  it.each(ROWS)("$id fires alone: $risk risk, $strategy, with its evidence", (row) => {
    const rules = applyDecisionTable(row.input);
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule).toMatchObject({ id: row.id, risk: row.risk, strategy: row.strategy });
    expect(rule!.evidence).toEqual(row.evidence);
  });
});

describe("row boundaries", () => {
  const fired = (i: DecisionInput) => applyDecisionTable(i).map((r) => r.id);

  it("types moved: from 10% of one type with at least 20 pairs, whatever the share of all pairs", () => {
    const moves = (...types: ReturnType<typeof movedType>[]) =>
      input({ types: makeTypeChange({ moved_by_type: types }) });
    expect(fired(moves(movedType("fact", 20, 2)))).toEqual(["type_rules_changed"]); // 2/20 = 10%
    expect(fired(moves(movedType("fact", 21, 2)))).toEqual([]); // 2/21 ≈ 9.5%
    expect(fired(moves(movedType("fact", 19, 19)))).toEqual([]); // 19 pairs < 20
    // 15% of facts is 3.7% of all 400 pairs: one concept changing type is what the row is for
    expect(fired(moves(movedType("fact", 100, 15), movedType("event", 300, 0)))).toEqual(["type_rules_changed"]);
  });

  it("no measured row fires without enough data; rows read from the config diff still do", () => {
    const unmeasured = {
      measured: false,
      vocabulary: makeVocabulary({
        jaccard: 0,
        band: "significant" as const,
        shared: [],
        only_baseline: ["works_at"],
        only_candidate: [],
      }),
      types: makeTypeChange({ disappeared: ["fact"], moved_by_type: [movedType("fact", 50, 50)] }),
      pairing: makePairing({ pairs: 10, subject_entity_changed: 10 }),
    };
    expect(fired(input(unmeasured))).toEqual([]);
    const modelChanged = makeDiff({
      model_changed: true,
      kinds: ["model"],
      changed: [{ field: "extractor.model", kind: "model", baseline: "a", candidate: "b" }],
    });
    expect(fired(input({ ...unmeasured, diff: modelChanged }))).toEqual(["model_upgrade"]);
  });

  it("type rules changed in the config fire the row without any measured move", () => {
    const rules = applyDecisionTable(
      input({
        diff: makeDiff({
          type_rules_changed: true,
          kinds: ["type_rules"],
          changed: [
            {
              field: "extractor.rules.type_rules.preference",
              kind: "type_rules",
              baseline: "(unset)",
              candidate: "fact",
            },
          ],
        }),
      }),
    );
    expect(rules.map((r) => r.id)).toEqual(["type_rules_changed"]);
    expect(rules[0]!.evidence).toEqual(["extractor.rules.type_rules.preference: (unset) → fact"]);
  });

  it("entity naming: from 50% of at least 5 pairs about different entities", () => {
    expect(fired(input({ pairing: makePairing({ pairs: 5, subject_entity_changed: 3 }) }))).toEqual(["entity_naming"]); // 60%
    expect(fired(input({ pairing: makePairing({ pairs: 10, subject_entity_changed: 5 }) }))).toEqual(["entity_naming"]); // 50%
    expect(fired(input({ pairing: makePairing({ pairs: 10, subject_entity_changed: 4 }) }))).toEqual([]); // 40%
    expect(fired(input({ pairing: makePairing({ pairs: 4, subject_entity_changed: 4 }) }))).toEqual([]); // 4 pairs < 5
  });

  it("entity naming: subjects written differently that resolve to the same entity fire nothing", () => {
    // "Caroline" → "Ms. Caroline" on every pair, every one resolving to the same known entity
    expect(
      fired(input({ pairing: makePairing({ pairs: 10, subject_text_changed: 10, subject_entity_changed: 0 }) })),
    ).toEqual([]);
  });

  it("predicate renamed: Jaccard below 0.8 and a baseline predicate gone", () => {
    const lost = { shared: ["a", "b", "c", "d"], only_baseline: ["works_at"] };
    expect(fired(input({ vocabulary: makeVocabulary({ ...lost, jaccard: 0.8, band: "minimal" }) }))).toEqual([]); // 4/5 = 0.8
    expect(fired(input({ vocabulary: makeVocabulary({ ...lost, jaccard: 0.79, band: "noticeable" }) }))).toEqual([
      "predicate_renamed",
    ]);
    // Jaccard below 0.8 with nothing of the baseline gone is an addition, not a rename
    expect(
      fired(
        input({
          vocabulary: makeVocabulary({
            shared: ["a"],
            only_candidate: ["b", "c"],
            jaccard: 0.3333,
            band: "significant",
          }),
        }),
      ),
    ).toEqual(["predicate_added"]);
  });

  it("says 'break' for a significant band", () => {
    const [rule] = applyDecisionTable(
      input({
        vocabulary: makeVocabulary({
          jaccard: 0.25,
          band: "significant",
          shared: ["a"],
          only_baseline: ["b", "c"],
          only_candidate: ["d"],
        }),
      }),
    );
    expect(rule!.evidence[0]).toBe("predicate Jaccard 0.250 over the top 50 (significant break)");
    expect(rule!.evidence[1]).toBe("baseline predicates gone: b, c");
  });
});

describe("pickWinningRule", () => {
  const rule = (id: string): RecommendationRule => {
    const row = DECISION_TABLE.find((r) => r.id === id)!;
    return { id: row.id, change: row.change, risk: row.risk, strategy: row.strategy, evidence: [] };
  };

  it("is undefined when no row fired", () => {
    expect(pickWinningRule([])).toBeUndefined();
  });

  it("high beats medium beats low, in any order", () => {
    expect(pickWinningRule([rule("prompt_wording"), rule("model_upgrade")])?.id).toBe("model_upgrade");
    expect(pickWinningRule([rule("model_upgrade"), rule("prompt_wording")])?.id).toBe("model_upgrade");
    expect(pickWinningRule([rule("prompt_wording"), rule("predicate_renamed"), rule("type_rules_changed")])?.id).toBe(
      "predicate_renamed",
    );
  });

  it("between two high rows, full re-extraction beats progressive rollout", () => {
    expect(pickWinningRule([rule("predicate_renamed"), rule("entity_naming")])?.id).toBe("entity_naming");
    expect(pickWinningRule([rule("type_structure"), rule("predicate_renamed")])?.id).toBe("type_structure");
  });

  it("keeps table order between rows of the same risk and strategy", () => {
    expect(pickWinningRule([rule("prompt_wording"), rule("predicate_added")])?.id).toBe("prompt_wording");
    expect(pickWinningRule([rule("entity_naming"), rule("type_structure")])?.id).toBe("entity_naming");
  });

  it("does not reorder its input", () => {
    const rules = [rule("prompt_wording"), rule("entity_naming")];
    pickWinningRule(rules);
    expect(rules.map((r) => r.id)).toEqual(["prompt_wording", "entity_naming"]);
  });
});
