import { describe, expect, it } from "vitest";
import { evaluateGate } from "../../src/recommend/gate.js";
import type { Thresholds } from "../../src/schema/bench-config.js";
import type { ConfigMetrics, Deltas } from "../../src/schema/report.js";
import { makeConfigMetrics, makeDeltas, makeThresholds } from "../metrics/fixtures.js";

interface Case {
  candidate?: ConfigMetrics;
  delta?: Partial<Deltas>;
  thresholds?: Partial<Thresholds>;
}

function gate(c: Case = {}) {
  return evaluateGate(
    { baseline: makeConfigMetrics(), candidate: c.candidate ?? makeConfigMetrics(), delta: makeDeltas(c.delta) },
    makeThresholds(c.thresholds),
  );
}
const checkOf = (c: Case, id: string) => {
  const found = gate(c).checks.find((check) => check.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const operating = (fields: Partial<ConfigMetrics["operating"]>) => makeConfigMetrics({ operating: fields });
const THRESHOLD_OF: Record<string, keyof Thresholds> = {
  precision_drop: "max_precision_drop",
  recall_drop: "max_recall_drop",
  junk_increase: "max_junk_increase_pp",
  json_fail_rate: "max_json_fail_rate",
  extraction_count_change: "max_extraction_count_change",
  entity_resolution_fail_rate: "max_entity_resolution_fail_rate",
};

describe("evaluateGate", () => {
  it("passes a candidate that changed nothing, with every check listed", () => {
    const result = gate();
    expect(result.passed).toBe(true);
    expect(result.checks.map((c) => c.id)).toEqual([
      "precision_drop",
      "recall_drop",
      "junk_increase",
      "json_fail_rate",
      "extraction_count_change",
      "entity_resolution_fail_rate",
    ]);
    expect(result.thresholds).toEqual(makeThresholds());
  });

  // id, label, at the threshold (passes), just beyond it (fails), value beyond
  it.each<[string, string, Case, Case, number]>([
    ["precision_drop", "−5 pp vs −5.01 pp (default 0.05)", { delta: { precision: { value: -0.05, ci: [-0.1, 0] } } }, { delta: { precision: { value: -0.0501, ci: [-0.1, 0] } } }, 0.0501],
    [
      "precision_drop",
      "−10 pp vs −10.01 pp at a custom 0.1",
      { delta: { precision: { value: -0.1, ci: null } }, thresholds: { max_precision_drop: 0.1 } },
      { delta: { precision: { value: -0.1001, ci: null } }, thresholds: { max_precision_drop: 0.1 } },
      0.1001,
    ],
    [
      "recall_drop",
      "no drop vs −1 pp whose CI excludes 0 (default 0)",
      { delta: { recall: { value: 0, ci: [-0.05, -0.001] } } },
      { delta: { recall: { value: -0.01, ci: [-0.05, -0.001] } } },
      0.01,
    ],
    [
      "recall_drop",
      "−5 pp vs −5.01 pp at a custom 0.05, CI below 0",
      { delta: { recall: { value: -0.05, ci: [-0.09, -0.01] } }, thresholds: { max_recall_drop: 0.05 } },
      { delta: { recall: { value: -0.0501, ci: [-0.09, -0.01] } }, thresholds: { max_recall_drop: 0.05 } },
      0.0501,
    ],
    ["junk_increase", "+5 pp vs +5.01 pp (default 5)", { delta: { junk_pp: 5 } }, { delta: { junk_pp: 5.01 } }, 5.01],
    ["json_fail_rate", "2% vs 2.01% (default 0.02)", { candidate: operating({ json_fail_rate: 0.02 }) }, { candidate: operating({ json_fail_rate: 0.0201 }) }, 0.0201],
    ["extraction_count_change", "+40% vs +40.01% (default 0.4)", { delta: { extraction_per_turn_pct: 40 } }, { delta: { extraction_per_turn_pct: 40.01 } }, 0.4001],
    ["extraction_count_change", "−40% vs −40.01%", { delta: { extraction_per_turn_pct: -40 } }, { delta: { extraction_per_turn_pct: -40.01 } }, 0.4001],
    [
      "extraction_count_change",
      "+57% vs +57.01% at a custom 0.57",
      { delta: { extraction_per_turn_pct: 57 }, thresholds: { max_extraction_count_change: 0.57 } },
      { delta: { extraction_per_turn_pct: 57.01 }, thresholds: { max_extraction_count_change: 0.57 } },
      0.5701,
    ],
    [
      "entity_resolution_fail_rate",
      "1% vs 1.01% (default 0.01)",
      { candidate: operating({ entity_resolution_fail_rate: 0.01 }) },
      { candidate: operating({ entity_resolution_fail_rate: 0.0101 }) },
      0.0101,
    ],
  ])("%s: %s", (id, _label, atThreshold, beyond, beyondValue) => {
    const pass = checkOf(atThreshold, id);
    expect(pass.passed).toBe(true);
    expect(gate(atThreshold).passed).toBe(true);

    const fail = checkOf(beyond, id);
    expect(fail.passed).toBe(false);
    expect(fail.value).toBeCloseTo(beyondValue, 10);
    expect(fail.limit).toBe(makeThresholds(beyond.thresholds)[THRESHOLD_OF[id]!]);
    expect(gate(beyond).passed).toBe(false);
  });

  it("passes any precision or junk improvement", () => {
    expect(checkOf({ delta: { precision: { value: 0.3, ci: [0.1, 0.5] } } }, "precision_drop").passed).toBe(true);
    expect(checkOf({ delta: { junk_pp: -40 } }, "junk_increase").passed).toBe(true);
  });
});

describe("the recall check fails only when the drop exceeds the threshold and the CI's upper bound is below 0", () => {
  const recall = (value: number, ci: [number, number] | null) => checkOf({ delta: { recall: { value, ci } } }, "recall_drop");

  it("fails a drop whose CI lies below 0", () => {
    expect(recall(-0.1, [-0.2, -0.0001]).passed).toBe(false);
  });
  it("passes a drop whose CI reaches 0", () => {
    expect(recall(-0.1, [-0.2, 0]).passed).toBe(true); // upper bound 0 is not below 0
  });
  it("passes a drop whose CI straddles 0", () => {
    expect(recall(-0.1, [-0.2, 0.05]).passed).toBe(true);
  });
  it("passes a drop without an interval", () => {
    expect(recall(-0.1, null).passed).toBe(true);
  });
  it("passes a drop within the threshold even when its CI excludes 0", () => {
    expect(checkOf({ delta: { recall: { value: -0.03, ci: [-0.05, -0.01] } }, thresholds: { max_recall_drop: 0.05 } }, "recall_drop").passed).toBe(true);
  });
  it("reports the delta and its interval", () => {
    expect(recall(-0.1, [-0.2, -0.01]).detail).toBe("recall -10.0% (95% CI -20.0% to -1.0%)");
  });
});

describe("unmeasured values pass and say so", () => {
  const result = gate({
    candidate: operating({ json_fail_rate: null, entity_resolution_fail_rate: null }),
    delta: { precision: { value: null, ci: null }, recall: { value: null, ci: null }, junk_pp: null, extraction_per_turn_pct: null },
  });

  it.each([
    ["precision_drop", "not measured"],
    ["recall_drop", "not measured"],
    ["junk_increase", "not measured"],
    ["json_fail_rate", "no extract calls"],
    ["extraction_count_change", "not measured"],
    ["entity_resolution_fail_rate", "no entity mentions"],
  ])("%s: %s", (id, detail) => {
    const check = result.checks.find((c) => c.id === id)!;
    expect(check.value).toBeNull();
    expect(check.passed).toBe(true);
    expect(check.detail).toBe(detail);
  });

  it("and the gate passes", () => {
    expect(result.passed).toBe(true);
  });
});

describe("details", () => {
  it("carry the measured numbers", () => {
    const result = gate({
      candidate: operating({ json_fail_rate: 0.035, entity_resolution_fail_rate: 0.004 }),
      delta: { precision: { value: -0.06, ci: [-0.12, -0.01] }, junk_pp: 7.5, extraction_per_turn_pct: -45.5 },
    });
    const detail = (id: string) => result.checks.find((c) => c.id === id)!.detail;
    expect(detail("precision_drop")).toBe("precision -6.0% (95% CI -12.0% to -1.0%)");
    expect(detail("junk_increase")).toBe("+7.5 pp");
    expect(detail("json_fail_rate")).toBe("3.5%");
    expect(detail("extraction_count_change")).toBe("-45.5%");
    expect(detail("entity_resolution_fail_rate")).toBe("0.4%");
    expect(result.passed).toBe(false); // precision −6 pp, junk +7.5 pp, JSON 3.5 %, extraction −45.5 %
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(["precision_drop", "junk_increase", "json_fail_rate", "extraction_count_change"]);
  });
});
