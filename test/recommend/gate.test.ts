import { describe, expect, it } from "vitest";
import { conversationsToDecide } from "../../src/metrics/sample-size.js";
import { blocksGate, evaluateGate, intervalOutcome } from "../../src/recommend/gate.js";
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
      metrics: {
        baseline: makeConfigMetrics(),
        candidate: c.candidate ?? makeConfigMetrics(),
        delta: makeDeltas(c.delta),
      },
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

  it("marks which checks are estimates (the interval rule) and which are observed rates (direct limits)", () => {
    const kinds = Object.fromEntries(gate().checks.map((c) => [c.id, c.kind]));
    expect(kinds).toEqual({
      precision_drop: "estimate",
      recall_drop: "estimate",
      junk_increase: "estimate",
      json_fail_rate: "observed",
      extraction_count_change: "estimate",
      entity_resolution_fail_increase: "estimate",
      failed_unit_rate_baseline: "observed",
      failed_unit_rate_candidate: "observed",
    });
  });
});

/**
 * One rule for every check that compares the two configs, each tested with its interval inside the
 * limit (passes), reaching exactly to it (passes: the interval rules out a change beyond it), straddling
 * it (inconclusive), just beyond it (fails), and wholly beyond it (fails).
 */
describe("the interval rule, per check", () => {
  type Estimate = { value: number; ci: [number, number]; se: number };
  const cases: Array<
    [string, (e: Estimate) => Case, { limit: number; worse: 1 | -1; thresholds?: Partial<Thresholds> }]
  > = [
    ["precision_drop", (e) => ({ delta: { precision: e } }), { limit: 0.05, worse: -1 }],
    [
      "precision_drop",
      (e) => ({ delta: { precision: e }, thresholds: { max_precision_drop: 0.1 } }),
      { limit: 0.1, worse: -1, thresholds: { max_precision_drop: 0.1 } },
    ],
    ["recall_drop", (e) => ({ delta: { recall: e } }), { limit: 0, worse: -1 }],
    [
      "recall_drop",
      (e) => ({ delta: { recall: e }, thresholds: { max_recall_drop: 0.05 } }),
      { limit: 0.05, worse: -1, thresholds: { max_recall_drop: 0.05 } },
    ],
    ["junk_increase", (e) => ({ delta: { junk: e } }), { limit: 0.05, worse: 1 }],
    ["extraction_count_change", (e) => ({ delta: { extraction_per_turn: e } }), { limit: 0.4, worse: 1 }],
    ["extraction_count_change", (e) => ({ delta: { extraction_per_turn: e } }), { limit: 0.4, worse: -1 }],
    [
      "extraction_count_change",
      (e) => ({ delta: { extraction_per_turn: e }, thresholds: { max_extraction_count_change: 0.57 } }),
      { limit: 0.57, worse: 1, thresholds: { max_extraction_count_change: 0.57 } },
    ],
    [
      "entity_resolution_fail_increase",
      (e) => ({ delta: { entity_resolution: e, entity_resolution_fail_rate: e.value } }),
      { limit: 0.01, worse: 1 },
    ],
  ];
  /** An estimate whose interval spans [from, to] in the "worse" direction (a drop for precision, a rise for junk). */
  const at = (worse: 1 | -1, from: number, to: number): Estimate => {
    const [low, high] = worse === 1 ? [from, to] : [-to, -from];
    return { value: (low + high) / 2, ci: [low, high], se: (high - low) / 3.92 };
  };

  it.each(cases)(
    "%s: inside, at, straddling, just beyond and wholly beyond its limit",
    (id, make, { limit, worse, thresholds }) => {
      const status = (from: number, to: number) => checkOf(make(at(worse, from, to)), id).status;
      expect(status(limit - 0.04, limit - 0.01)).toBe("passed"); // inside
      expect(status(limit - 0.03, limit)).toBe("passed"); // the interval reaches the limit and no further
      expect(status(limit - 0.02, limit + 0.02)).toBe("inconclusive"); // straddles
      expect(status(limit + 0.0001, limit + 0.03)).toBe("failed"); // just beyond
      expect(status(limit + 0.1, limit + 0.2)).toBe("failed"); // wholly beyond
      expect(status(limit, limit + 0.03)).toBe("inconclusive"); // its lower end on the limit: a change beyond it is not established
      const failing = checkOf(make(at(worse, limit + 0.01, limit + 0.03)), id);
      expect(failing.limit).toBe(makeThresholds(thresholds)[THRESHOLD_OF[id]!]);
      expect(failing.interval).toBeDefined();
      expect(gate(make(at(worse, limit + 0.01, limit + 0.03))).passed).toBe(false);
      expect(gate(make(at(worse, limit - 0.02, limit + 0.02))).passed).toBe(true);
    },
  );

  it.each([
    [
      "json_fail_rate",
      "2% vs 2.01% (default 0.02)",
      { candidate: operating({ json_fail_rate: 0.02 }) },
      { candidate: operating({ json_fail_rate: 0.0201 }) },
      0.0201,
    ],
    [
      "failed_unit_rate_candidate",
      "2 of 100 vs 3 of 100 dry runs failed",
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
  ] as Array<[string, string, Case, Case, number]>)(
    "%s is an observed rate with a direct limit: %s",
    (id, _label, atLimit, beyond, beyondValue) => {
      expect(checkOf(atLimit, id).status).toBe("passed");
      const fail = checkOf(beyond, id);
      expect(fail.status).toBe("failed");
      expect(fail.kind).toBe("observed");
      expect(fail.value).toBeCloseTo(beyondValue, 10);
      expect(gate(beyond).passed).toBe(false);
    },
  );

  it("reads a change either way for the extraction count: a fall beyond −40% fails as a rise beyond +40% does", () => {
    expect(
      checkOf(
        { delta: { extraction_per_turn: { value: -0.5, ci: [-0.6, -0.42], se: 0.05 } } },
        "extraction_count_change",
      ).status,
    ).toBe("failed");
    expect(
      checkOf({ delta: { extraction_per_turn: { value: 0.5, ci: [0.42, 0.6], se: 0.05 } } }, "extraction_count_change")
        .status,
    ).toBe("failed");
    expect(
      checkOf({ delta: { extraction_per_turn: { value: 0, ci: [-0.45, 0.45], se: 0.23 } } }, "extraction_count_change")
        .status,
    ).toBe("inconclusive");
  });

  it("passes any improvement whose interval stays on the good side", () => {
    expect(checkOf({ delta: { precision: { value: 0.3, ci: [0.1, 0.5], se: 0.1 } } }, "precision_drop").status).toBe(
      "passed",
    );
    expect(checkOf({ delta: { junk: { value: -0.4, ci: [-0.5, -0.3], se: 0.05 } } }, "junk_increase").status).toBe(
      "passed",
    );
    expect(
      checkOf(
        { delta: { entity_resolution: { value: -0.2, ci: [-0.3, -0.1], se: 0.05 } } },
        "entity_resolution_fail_increase",
      ).status,
    ).toBe("passed");
  });

  it("judges entity resolution by the difference, not the candidate's own rate", () => {
    // A set that mentions many new people: both configs leave 30% unresolved. Nothing got worse.
    const check = checkOf(
      { candidate: operating({ entity_resolution_fail_rate: 0.3 }) },
      "entity_resolution_fail_increase",
    );
    expect(check.status).toBe("passed");
  });

  it("treats a high point estimate whose interval straddles the limit as inconclusive, and a low one whose interval lies beyond it as failed", () => {
    // The two cases: −5.9 pp [−12.0, 0.0] used to fail on the point; −4.3 pp [−5.1, −3.6] used to pass although part of it is past 5 pp.
    expect(
      checkOf({ delta: { precision: { value: -0.059, ci: [-0.12, 0], se: 0.03 } } }, "precision_drop").status,
    ).toBe("inconclusive");
    expect(
      checkOf({ delta: { precision: { value: -0.043, ci: [-0.051, -0.036], se: 0.004 } } }, "precision_drop").status,
    ).toBe("inconclusive");
    expect(
      checkOf({ delta: { precision: { value: -0.058, ci: [-0.066, -0.051], se: 0.004 } } }, "precision_drop").status,
    ).toBe("failed");
  });
});

describe("inconclusive checks", () => {
  const straddling: Case = { delta: { precision: { value: -0.04, ci: [-0.09, 0.01], se: 0.025 } } };

  it("pass the gate by default, shown as inconclusive with the paired conversations that would decide them", () => {
    const result = gate(straddling);
    const check = result.checks.find((c) => c.id === "precision_drop")!;
    expect(result.passed).toBe(true);
    expect(check.status).toBe("inconclusive");
    expect(check.conversations).toBe(10);
    // 10 · (1.96 · 0.025 / |0.04 − 0.05|)² = 240.1 → 241
    expect(check.decide_conversations).toBe(241);
    expect(check.detail).toBe(
      "precision −4.0 pp [−9.0, +1.0] pp (limit 5.0 pp): inconclusive, the interval straddles the limit; about 241 paired conversations would decide it (10 now)",
    );
  });

  it("fail the gate with on_inconclusive: fail, still shown as inconclusive", () => {
    const strict = gate({ ...straddling, thresholds: { on_inconclusive: "fail" } });
    expect(strict.passed).toBe(false);
    expect(strict.checks.find((c) => c.id === "precision_drop")!.status).toBe("inconclusive");
    expect(blocksGate("inconclusive", makeThresholds({ on_inconclusive: "fail" }))).toBe(true);
    expect(blocksGate("inconclusive", makeThresholds())).toBe(false);
  });

  it("say when no number of conversations decides them: the estimate sits on the limit", () => {
    const check = checkOf({ delta: { precision: { value: -0.05, ci: [-0.09, -0.01], se: 0.02 } } }, "precision_drop");
    expect(check.status).toBe("inconclusive");
    expect(check.decide_conversations).toBeNull();
    expect(check.detail).toContain("the estimate sits on the limit: no number of conversations would decide it");
  });

  it("count junk by the conversations of the junk sample", () => {
    const candidate = makeConfigMetrics({
      junk: { rate: 0.1, junk: 5, judged: 50, conversations: 7, by_category: {}, ci: [0.05, 0.15] },
    });
    const check = checkOf(
      { candidate, delta: { junk: { value: 0.04, ci: [0.01, 0.07], se: 0.015 } } },
      "junk_increase",
    );
    expect(check.conversations).toBe(7);
    expect(check.detail).toContain("paired conversations in the junk sample would decide it (7 now)");
  });
});

describe("conversationsToDecide", () => {
  it("scales the conversations by the squared ratio of the interval's half-width to the distance from the limit", () => {
    expect(conversationsToDecide(0.03, 0.05, 0.02, 28)).toBe(Math.ceil(28 * ((1.959964 * 0.02) / 0.02) ** 2));
    // either way: the distance from ±limit of the change's size
    expect(conversationsToDecide(-0.3, 0.4, 0.1, 20, true)).toBe(Math.ceil(20 * ((1.959964 * 0.1) / 0.1) ** 2));
  });
  it("asks for at least one more conversation, and is null on the limit", () => {
    expect(conversationsToDecide(0.01, 0.05, 0.0001, 28)).toBe(29);
    expect(conversationsToDecide(0.05, 0.05, 0.02, 28)).toBeNull();
  });
  it("matches the interval outcome it is meant to reach", () => {
    expect(intervalOutcome([0.01, 0.05], 0.05)).toBe("passed");
    expect(intervalOutcome([0.01, 0.0501], 0.05)).toBe("inconclusive");
  });
});

describe("judge noise in the checks", () => {
  it("reads the change corrected for the judge's noise, and says so", () => {
    const precision = {
      value: -0.02,
      ci: [-0.04, 0] as [number, number],
      se: 0.01,
      corrected: { value: -0.08, ci: [-0.12, -0.055] as [number, number], se: 0.016, noise_spread: 0.02 },
    };
    const check = checkOf({ delta: { precision } }, "precision_drop");
    expect(check.status).toBe("failed");
    expect(check.value).toBeCloseTo(0.08, 10);
    expect(check.detail).toContain("precision −8.0 pp [−12.0, −5.5] pp corrected for judge noise (observed −2.0 pp)");
    expect(check.detail).not.toContain("judge noise alone");
  });

  it("says when the judge's noise alone is as large as the change", () => {
    const junk = {
      value: 0.01,
      ci: [-0.03, 0.05] as [number, number],
      se: 0.02,
      corrected: { value: 0.015, ci: [-0.04, 0.07] as [number, number], se: 0.028, noise_spread: 0.03 },
    };
    const check = checkOf({ delta: { junk } }, "junk_increase");
    expect(check.status).toBe("inconclusive");
    expect(check.noise_spread).toBe(0.03);
    expect(check.detail).toContain(
      "the judge's noise alone spreads this change by ±3.0 pp, as much as the change itself",
    );
  });

  it("is not measured when the judge's verdicts flip too often to correct", () => {
    const precision = {
      value: -0.02,
      ci: [-0.04, 0] as [number, number],
      se: 0.01,
      corrected: { value: null, ci: null, se: null, noise_spread: null },
    };
    const check = checkOf({ delta: { precision } }, "precision_drop");
    expect(check.status).toBe("not_measured");
    expect(check.detail).toContain("the judge's verdicts flip too often to correct precision for them");
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
      entity_resolution: { value: null, ci: null, se: null },
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

  it("an estimate without an interval is not measured, never passed on its point", () => {
    expect(checkOf({ delta: { recall: { value: -0.1, ci: null } } }, "recall_drop").status).toBe("not_measured");
  });

  it("entity resolution says why it was not measured", () => {
    const input = {
      metrics: {
        baseline: makeConfigMetrics(),
        candidate: makeConfigMetrics(),
        delta: makeDeltas({
          entity_resolution_fail_rate: null,
          entity_resolution: { value: null, ci: null, se: null },
        }),
      },
      completeness: makeCompleteness(),
      entities: { not_measured: "no mention on either side resolved to a known entity" },
    };
    const check = evaluateGate(input, makeThresholds()).checks.find((c) => c.id === "entity_resolution_fail_increase")!;
    expect(check.status).toBe("not_measured");
    expect(check.detail).toBe("not measured: no mention on either side resolved to a known entity (limit 1.0 pp)");
  });
});

describe("details", () => {
  it("carry the measured numbers in one unit each, the limit in the same unit, and the outcome", () => {
    const result = gate({
      candidate: operating({ json_fail_rate: 0.035, json_failures: 7, extract_calls: 200 }),
      delta: {
        precision: { value: -0.09, ci: [-0.12, -0.06], se: 0.015 },
        junk: { value: 0.095, ci: [0.075, 0.12], se: 0.01 },
        extraction_per_turn: { value: -0.455, ci: [-0.5, -0.41], se: 0.02 },
        entity_resolution: { value: 0.004, ci: [0.001, 0.008], se: 0.002 },
        entity_resolution_fail_rate: 0.004,
      },
    });
    const detail = (id: string) => result.checks.find((c) => c.id === id)!.detail;
    expect(detail("precision_drop")).toBe(
      "precision −9.0 pp [−12.0, −6.0] pp (limit 5.0 pp): the whole interval lies beyond the limit: a drop beyond it is established",
    );
    expect(detail("junk_increase")).toBe(
      "junk +9.5 pp [+7.5, +12.0] pp on 10 conversations (limit 5.0 pp): the whole interval lies beyond the limit: a rise beyond it is established",
    );
    expect(detail("json_fail_rate")).toBe("JSON fail rate 3.5% (7 of 200 calls) (limit 2.0%)");
    expect(detail("extraction_count_change")).toBe(
      "extractions per turn −45.5% [−50.0%, −41.0%] (limit ±40.0%): the whole interval lies beyond the limit: a change beyond it is established",
    );
    expect(detail("entity_resolution_fail_increase")).toBe(
      "entity-resolution fail rate +0.4 pp [+0.1, +0.8] pp (limit 1.0 pp): the interval rules out a rise beyond the limit",
    );
    expect(result.passed).toBe(false);
    expect(result.checks.filter((c) => c.status === "failed").map((c) => c.id)).toEqual([
      "precision_drop",
      "junk_increase",
      "json_fail_rate",
      "extraction_count_change",
    ]);
  });
});
