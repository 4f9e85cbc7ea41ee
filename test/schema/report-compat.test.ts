import { beforeAll, describe, expect, it } from "vitest";
import { evaluateGate } from "../../src/recommend/gate.js";
import { renderHtml } from "../../src/report/html/render-html.js";
import { renderJunit } from "../../src/report/render-junit.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderSummary } from "../../src/report/render-summary.js";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { readReport, runDemo } from "../report/fixtures.js";

/** A report.json as the bench wrote it before the interval rule: none of the fields it added, no inconclusive status. */
function olderReport(report: BenchReport): unknown {
  const old = structuredClone(report) as unknown as Record<string, any>;
  for (const key of ["precision", "recall", "junk", "extraction_per_turn"]) {
    delete old.metrics.delta[key].se;
    delete old.metrics.delta[key].corrected;
  }
  delete old.metrics.delta.entity_resolution;
  for (const role of ["baseline", "candidate"])
    for (const key of ["precision", "recall", "junk"]) delete old.metrics[role][key].corrected;
  delete old.calibration.against;
  delete old.fields.not_measured;
  delete old.entities.not_measured;
  delete old.pairing.by_evidence;
  delete old.pairing.by_subject_object;
  delete old.recommendation.not_measured;
  delete old.gate.thresholds.on_inconclusive;
  for (const check of old.gate.checks) {
    for (const key of ["kind", "interval", "conversations", "decide_conversations", "noise_spread"]) delete check[key];
    if (check.status === "inconclusive") check.status = "passed";
  }
  return old;
}

describe("report.json written before the interval rule", () => {
  let old: BenchReport;
  beforeAll(async () => {
    old = BenchReportSchema.parse(olderReport(readReport(await runDemo())));
  });

  it("still reads, the new thresholds taking their defaults", () => {
    expect(old.gate.thresholds.on_inconclusive).toBe("pass");
    expect(old.metrics.delta.entity_resolution).toBeUndefined();
  });

  it("renders in every format", async () => {
    expect(renderSummary(old)).toContain("Gate: PASSED");
    expect(renderMarkdown(old)).toContain("### Gate");
    expect(renderJunit(old)).toContain("<testsuites");
    expect(await renderHtml(old)).toContain("<!doctype html>");
  });

  it("re-gated, says what it lacks instead of inventing it: no interval for entity resolution, no standard error to size an inconclusive check", () => {
    const gate = evaluateGate(old, old.gate.thresholds);
    const entity = gate.checks.find((c) => c.id === "entity_resolution_fail_increase")!;
    expect(entity.status).toBe("not_measured");
    expect(entity.detail).toContain(
      "this report predates the interval of this change: `extractor-bench report RUN_DIR` re-renders it from the run log",
    );
    const precision = gate.checks.find((c) => c.id === "precision_drop")!;
    expect(precision.status).toBe("inconclusive");
    expect(precision.detail).toContain("the report carries no standard error to size it by");
  });
});
