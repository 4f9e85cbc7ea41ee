import { describe, expect, it } from "vitest";
import { metricRows } from "../../src/report/metric-rows.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderSummary } from "../../src/report/render-summary.js";
import type { BenchReport } from "../../src/schema/report.js";
import { readReport, runDemo } from "./fixtures.js";

/** The demo report as if a model had judged coverage and scored some golden memories 1 (stated in part). */
function withPartial(report: BenchReport, baseline: number, candidate: number): BenchReport {
  const { metrics } = report;
  return {
    ...report,
    metrics: {
      ...metrics,
      baseline: { ...metrics.baseline, recall: { ...metrics.baseline.recall, partial: baseline } },
      candidate: { ...metrics.candidate, recall: { ...metrics.candidate.recall, partial: candidate } },
    },
  };
}

describe("partial coverage in the reports", () => {
  it("is shown apart from recall, as a share of the golden memories and a change in points, when a model judged coverage", async () => {
    const demo = readReport(await runDemo());
    const golden = demo.metrics.baseline.recall.golden;
    const report = withPartial(demo, 2, 5);
    const row = metricRows(report).find((r) => r.label === "partly covered (not in recall)");
    expect(row).toMatchObject({
      baseline: expect.stringContaining(`(2/${golden})`),
      candidate: expect.stringContaining(`(5/${demo.metrics.candidate.recall.golden})`),
    });
    expect(row!.delta).toMatch(/^\+\d+\.\d pp$/);
    expect(renderSummary(report)).toContain(
      `partly covered, not counted: 2/${golden} → 5/${demo.metrics.candidate.recall.golden}`,
    );
    expect(renderMarkdown(report)).toContain("partly covered (not in recall)");
    // The heuristic judge of the demo gives no partial verdict: nothing is shown as measured.
    expect(metricRows(demo).some((r) => r.label.startsWith("partly covered"))).toBe(false);
    expect(renderSummary(demo)).not.toContain("partly covered");
  });
});
