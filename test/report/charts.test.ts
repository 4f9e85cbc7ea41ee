import { beforeAll, describe, expect, it } from "vitest";
import { renderSvgCharts, scopeIds } from "../../src/report/charts/render-svg.js";
import { reportChartSpecs } from "../../src/report/html/render-html.js";
import type { BenchReport } from "../../src/schema/report.js";
import { readReport, runDemo } from "./fixtures.js";

const valuesOf = (spec: unknown) => (spec as { data: { values: Record<string, unknown>[] } }).data.values;

describe("chart specs", () => {
  let demo: BenchReport;
  beforeAll(async () => {
    demo = readReport(await runDemo());
  });

  it("confidence histograms carry each config's bucket shares", () => {
    const values = valuesOf(reportChartSpecs(demo).confidence);
    const baseline = values.filter((v) => v.side === "baseline");
    expect(baseline.map((v) => v.count)).toEqual(demo.metrics.baseline.confidence.histogram.map((b) => b.count));
    expect(values.filter((v) => v.side === "candidate")).toHaveLength(
      demo.metrics.candidate.confidence.histogram.length,
    );
  });

  it("type distribution has a bar per type and config", () => {
    const values = valuesOf(reportChartSpecs(demo).types);
    expect(values.find((v) => v.type === "preference" && v.side === "candidate")?.count).toBe(
      demo.types.candidate.preference,
    );
  });

  it("per-conversation change shows the conversations that moved, largest first, and nothing when none moved", () => {
    const values = valuesOf(reportChartSpecs(demo).conversations);
    expect(values[0]).toMatchObject({ conversation: "conv-sofia-03", measure: "golden memories covered", delta: 1 });
    const still = { ...demo, conversations: demo.conversations.map((c) => ({ ...c, candidate: c.baseline })) };
    expect(reportChartSpecs(still).conversations).toBeNull();
  });

  it("colours a per-conversation change by what the judge says, not by more or fewer", () => {
    const side = { candidates: 5, covered: 3, useful: 4 };
    const one = (id: string, candidate: typeof side) => ({
      conversation_id: id,
      turns: 10,
      golden: 6,
      baseline: side,
      candidate,
    });
    const report = {
      ...demo,
      conversations: [
        one("extra-junk", { candidates: 6, covered: 3, useful: 4 }), // +1 candidate the judge did not find useful
        one("extra-fact", { candidates: 6, covered: 4, useful: 5 }), // +1 useful candidate that covers a golden memory
      ],
    };
    const values = valuesOf(reportChartSpecs(report).conversations);
    const verdict = (id: string, measure: string) =>
      values.find((v) => v.conversation === id && v.measure === measure)?.verdict;
    expect(verdict("extra-junk", "candidates not useful")).toBe("worse");
    expect(verdict("extra-junk", "useful candidates")).toBe("same");
    expect(verdict("extra-fact", "useful candidates")).toBe("better");
    expect(verdict("extra-fact", "golden memories covered")).toBe("better");
    expect(values.some((v) => v.measure === "candidates extracted")).toBe(false);
  });

  it("junk by category is absent when no sample held junk", () => {
    const clean = {
      ...demo,
      metrics: {
        ...demo.metrics,
        baseline: { ...demo.metrics.baseline, junk: { ...demo.metrics.baseline.junk, by_category: {} } },
        candidate: { ...demo.metrics.candidate, junk: { ...demo.metrics.candidate.junk, by_category: {} } },
      },
    };
    expect(reportChartSpecs(clean).junk).toBeNull();
  });

  it("renders each spec to SVG, and a spec vega rejects to a reason instead of failing the report", async () => {
    const [good, bad] = await renderSvgCharts([
      reportChartSpecs(demo).types,
      {
        data: { values: [] },
        mark: "bar",
        encoding: { x: { field: "a", type: "quantitative" } },
        transform: [{ calculate: "datum.a +", as: "b" }],
      },
    ]);
    expect(good).toHaveProperty("svg");
    expect((good as { svg: string }).svg).toMatch(/^<svg /);
    expect(bad).toHaveProperty("error");
  });

  it("scopes vega's numbered ids per chart", () => {
    expect(scopeIds(`<clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#other"/>`, "c2-")).toBe(
      `<clipPath id="c2-clip1"/><g clip-path="url(#c2-clip1)"/><use href="#other"/>`,
    );
  });
});
