import { describe, expect, it } from "vitest";
import { evaluateGate } from "../../src/recommend/gate.js";
import type { Thresholds } from "../../src/schema/bench-config.js";
import type { Completeness, ConfigMetrics, Deltas } from "../../src/schema/report.js";
import { makeCompleteness, makeConfigMetrics, makeDeltas, makeThresholds } from "../metrics/fixtures.js";

interface Case {
  candidate?: ConfigMetrics;
  delta?: Partial<Deltas>;
  completeness?: Partial<Completeness>;
  thresholds?: Partial<Thresholds>;
}

function gate(c: Case = {}) {
  return evaluateGate(
    {
      metrics: { baseline: makeConfigMetrics(), candidate: c.candidate ?? makeConfigMetrics(), delta: makeDeltas(c.delta) },
      completeness: makeCompleteness(c.completeness),
    },
    makeThresholds(c.thresholds),
  );
}
const checkOf = (c: Case, id: string) => {
  const found = gate(c).checks.find((check) => check.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const operating = (fields: Partial<ConfigMetrics["operating"]>) => makeConfigMetrics({ operating: fields });
const side = (attempted: number, failed: number): Completeness["baseline"] => ({
  attempted,
  succeeded: attempted - failed,
  failed,
  failed_rate: attempted === 0 ? null : failed / attempted,
  failed_by_kind: failed > 0 ? { timeout: failed } : {},
  judge_errors: {},
});
const THRESHOLD_OF: Record<string, keyof Thresholds> = {
  precision_drop: "max_precision_drop",
  recall_drop: "max_recall_drop",
  junk_increase: "max_junk_increase",
  json_fail_rate: "max_json_fail_rate",
  extraction_count_change: "max_extraction_count_change",
  entity_resolution_fail_increase: "max_entity_resolution_fail_increase",
  failed_unit_rate_baseline: "max_failed_unit_rate",
  failed_unit_rate_candidate: "max_failed_unit_rate",
};

describe("evaluateGate", () => {
  it("passes a candidate that changed nothing, with every check listed as passed", () => {
    const result = gate();
    expect(result.passed).toBe(true);
    expect(result.checks.map((c) => c.id)).toEqual(Object.keys(THRESHOLD_OF));
    expect(result.checks.every((c) => c.status === "passed")).toBe(true);
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
      "no drop vs −1 pp whose interval excludes 0 (default 0)",
      { delta: { recall: { value: 0, ci: [-0.05, -0.001] } } },
      { delta: { recall: { value: -0.01, ci: [-0.05, -0.001] } } },
      0.01,
    ],
    [
      "recall_drop",
      "−5 pp vs −5.01 pp at a custom 0.05, interval below 0",
      { delta: { recall: { value: -0.05, ci: [-0.09, -0.01] } }, thresholds: { max_recall_drop: 0.05 } },
      { delta: { recall: { value: -0.0501, ci: [-0.09, -0.01] } }, thresholds: { max_recall_drop: 0.05 } },
      0.0501,
    ],
    [
      "junk_increase",
      "interval's lower bound +5 pp vs +5.01 pp (default 0.05)",
      { delta: { junk: { value: 0.08, ci: [0.05, 0.11] } } },
      { delta: { junk: { value: 0.08, ci: [0.0501, 0.11] } } },
      0.0501,
    ],
    ["json_fail_rate", "2% vs 2.01% (default 0.02)", { candidate: operating({ json_fail_rate: 0.02 }) }, { candidate: operating({ json_fail_rate: 0.0201 }) }, 0.0201],
    ["extraction_count_change", "+40% vs +40.01% (default 0.4)", { delta: { extraction_per_turn: { value: 0.4, ci: null } } }, { delta: { extraction_per_turn: { value: 0.4001, ci: null } } }, 0.4001],
    ["extraction_count_change", "−40% vs −40.01%", { delta: { extraction_per_turn: { value: -0.4, ci: null } } }, { delta: { extraction_per_turn: { value: -0.4001, ci: null } } }, 0.4001],
    [
      "extraction_count_change",
      "+57% vs +57.01% at a custom 0.57",
      { delta: { extraction_per_turn: { value: 0.57, ci: null } }, thresholds: { max_extraction_count_change: 0.57 } },
      { delta: { extraction_per_turn: { value: 0.5701, ci: null } }, thresholds: { max_extraction_count_change: 0.57 } },
      0.5701,
    ],
    [
      "entity_resolution_fail_increase",
      "+1 pp vs +1.01 pp over the baseline (default 0.01)",
      { delta: { entity_resolution_fail_rate: 0.01 } },
      { delta: { entity_resolution_fail_rate: 0.0101 } },
      0.0101,
    ],
    [
      "failed_unit_rate_candidate",
      "2 of 100 vs 3 of 100 dry runs failed (default 0.02)",
      { completeness: { candidate: side(100, 2) } },
      { completeness: { candidate: side(100, 3) } },
      0.03,
    ],
    [
      "failed_unit_rate_baseline",
      "2 of 100 vs 3 of 100 on the baseline side",
      { completeness: { baseline: side(100, 2) } },
      { completeness: { baseline: side(100, 3) } },
      0.03,
    ],
  ])("%s: %s", (id, _label, atThreshold, beyond, beyondValue) => {
    const pass = checkOf(atThreshold, id);
    expect(pass.status).toBe("passed");
    expect(gate(atThreshold).passed).toBe(true);

    const fail = checkOf(beyond, id);
    expect(fail.status).toBe("failed");
    expect(fail.value).toBeCloseTo(beyondValue, 10);
    expect(fail.limit).toBe(makeThresholds(beyond.thresholds)[THRESHOLD_OF[id]!]);
    expect(gate(beyond).passed).toBe(false);
  });

  it("passes any precision, junk or entity-resolution improvement", () => {
    expect(checkOf({ delta: { precision: { value: 0.3, ci: [0.1, 0.5] } } }, "precision_drop").status).toBe("passed");
    expect(checkOf({ delta: { junk: { value: -0.4, ci: [-0.5, -0.3] } } }, "junk_increase").status).toBe("passed");
    expect(checkOf({ delta: { entity_resolution_fail_rate: -0.2 } }, "entity_resolution_fail_increase").status).toBe("passed");
  });

  it("judges entity resolution by the difference, not the candidate's own rate", () => {
    // A set that mentions many new people: both configs leave 30% unresolved. Nothing got worse.
    const check = checkOf({ candidate: operating({ entity_resolution_fail_rate: 0.3 }), delta: { entity_resolution_fail_rate: 0 } }, "entity_resolution_fail_increase");
    expect(check.status).toBe("passed");
  });

  it("passes a junk rise whose interval's lower bound stays under the limit, however high the point estimate", () => {
    expect(checkOf({ delta: { junk: { value: 0.07, ci: [0.02, 0.12] } } }, "junk_increase").status).toBe("passed");
  });
});

describe("the recall check fails only when the drop exceeds the threshold and the interval's upper bound is below 0", () => {
  const recall = (value: number, ci: [number, number] | null) => checkOf({ delta: { recall: { value, ci } } }, "recall_drop");

  it("fails a drop whose interval lies below 0", () => {
    expect(recall(-0.1, [-0.2, -0.0001]).status).toBe("failed");
  });
  it("passes a drop whose interval reaches 0", () => {
    expect(recall(-0.1, [-0.2, 0]).status).toBe("passed"); // upper bound 0 is not below 0
  });
  it("passes a drop whose interval straddles 0", () => {
    expect(recall(-0.1, [-0.2, 0.05]).status).toBe("passed");
  });
  it("passes a drop without an interval", () => {
    expect(recall(-0.1, null).status).toBe("passed");
  });
  it("passes a drop within the threshold even when its interval excludes 0", () => {
    expect(checkOf({ delta: { recall: { value: -0.03, ci: [-0.05, -0.01] } }, thresholds: { max_recall_drop: 0.05 } }, "recall_drop").status).toBe("passed");
  });
  it("reports the delta and its interval in percentage points, with the limit", () => {
    expect(recall(-0.1, [-0.2, -0.01]).detail).toBe("recall −10.0 pp [−20.0, −1.0] pp (limit 0.0 pp)");
  });
});

describe("unmeasured checks", () => {
  const unmeasured: Case = {
    candidate: operating({ json_fail_rate: null }),
    delta: {
      precision: { value: null, ci: null },
      recall: { value: null, ci: null },
      junk: { value: null, ci: null },
      extraction_per_turn: { value: null, ci: null },
      entity_resolution_fail_rate: null,
    },
    completeness: { paired_conversations: 0, candidate: side(0, 0) },
  };
  const result = gate(unmeasured);

  it.each([
    ["precision_drop", "no conversation where both configs produced a result"],
    ["recall_drop", "no conversation where both configs produced a result"],
    ["junk_increase", "no conversation where both configs produced a result"],
    ["json_fail_rate", "the candidate made no extract call"],
    ["extraction_count_change", "no conversation where both configs produced a result"],
    ["entity_resolution_fail_increase", "no conversation where both configs produced a result"],
    ["failed_unit_rate_candidate", "no dry run of the candidate was logged"],
  ])("%s is not measured: %s", (id, reason) => {
    const check = result.checks.find((c) => c.id === id)!;
    expect(check.value).toBeNull();
    expect(check.status).toBe("not_measured");
    expect(check.detail).toContain(`not measured: ${reason}`);
  });

  it("fail the gate by default", () => {
    expect(result.passed).toBe(false);
  });

  it("are let through with on_unmeasured: pass, and still reported as not measured", () => {
    const lenient = gate({ ...unmeasured, thresholds: { on_unmeasured: "pass" } });
    expect(lenient.passed).toBe(true);
    expect(lenient.checks.filter((c) => c.status === "not_measured")).toHaveLength(7);
  });

  it("a single unmeasured check fails an otherwise clean gate", () => {
    const one = gate({ delta: { junk: { value: null, ci: null } } });
    expect(one.checks.find((c) => c.id === "junk_increase")!.status).toBe("not_measured");
    expect(one.passed).toBe(false);
  });
});

describe("details", () => {
  it("carry the measured numbers in one unit each, and the limit in the same unit", () => {
    const result = gate({
      candidate: operating({ json_fail_rate: 0.035, json_failures: 7, extract_calls: 200 }),
      delta: {
        precision: { value: -0.06, ci: [-0.12, -0.01] },
        junk: { value: 0.095, ci: [0.075, 0.12] },
        extraction_per_turn: { value: -0.455, ci: [-0.5, -0.41] },
        entity_resolution_fail_rate: 0.004,
      },
    });
    const detail = (id: string) => result.checks.find((c) => c.id === id)!.detail;
    expect(detail("precision_drop")).toBe("precision −6.0 pp [−12.0, −1.0] pp (limit 5.0 pp)");
    expect(detail("junk_increase")).toBe("junk +9.5 pp [+7.5, +12.0] pp (limit 5.0 pp)");
    expect(detail("json_fail_rate")).toBe("JSON fail rate 3.5% (7 of 200 calls) (limit 2.0%)");
    expect(detail("extraction_count_change")).toBe("extractions per turn −45.5% [−50.0%, −41.0%] (limit ±40.0%)");
    expect(detail("entity_resolution_fail_increase")).toBe("entity-resolution fail rate +0.4 pp (limit 1.0 pp)");
    expect(result.passed).toBe(false);
    expect(result.checks.filter((c) => c.status === "failed").map((c) => c.id)).toEqual(["precision_drop", "junk_increase", "json_fail_rate", "extraction_count_change"]);
  });
});
