import { beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html/render-html.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderSummary } from "../../src/report/render-summary.js";
import type { BenchReport } from "../../src/schema/report.js";
import { readReport, runDemo } from "./fixtures.js";

const count = (text: string, part: string) => text.split(part).length - 1;

describe("the terminal summary and the reports speak alike", () => {
  let demo: BenchReport;
  beforeAll(async () => {
    demo = readReport(await runDemo());
  });

  it("name the predicate Jaccard's band with the same words: minimal drift, noticeable drift, significant break", async () => {
    expect(demo.vocabulary.band).toBe("significant");
    const html = await renderHtml(demo);
    expect(renderSummary(demo)).toContain(" (significant break)\n");
    expect(renderMarkdown(demo)).toContain(" (significant break)");
    expect(html).toContain(">significant break</div>");
    expect(html).toContain(
      "(significant break; ≥ 0.8 minimal drift, 0.5–0.8 noticeable drift, &lt; 0.5 significant break)",
    );
    expect(html).not.toContain("significant drift");
    const noticeable = { ...demo, vocabulary: { ...demo.vocabulary, band: "noticeable" as const } };
    expect(renderSummary(noticeable)).toContain(" (noticeable drift)\n");
    expect(await renderHtml(noticeable)).toContain(">noticeable drift</div>");
  });

  it("print each reason for insufficient data once", () => {
    const reasons = [
      "3 of 3 conversations are paired (both configs produced a result); at least 10 are needed (min_paired_conversations)",
      "the candidate produced no candidates on the paired conversations",
    ];
    const insufficient: BenchReport = {
      ...demo,
      recommendation: {
        ...demo.recommendation,
        strategy: "insufficient_data",
        risk: "unknown",
        insufficient: reasons,
        summary: `insufficient data: ${reasons.join("; ")}`,
        rules: [],
        snippets: {},
      },
    };
    const text = renderSummary(insufficient);
    expect(text).toContain("\nVerdict: INSUFFICIENT DATA\n");
    for (const reason of reasons) expect(count(text, reason)).toBe(1);
  });

  it("give each reason for insufficient data once in report.md and report.html, whether the gate passed or failed", async () => {
    const reasons = [
      "3 of 3 conversations are paired",
      "the candidate produced no candidates on the paired conversations",
    ];
    const recommendation = {
      ...demo.recommendation,
      strategy: "insufficient_data" as const,
      risk: "unknown" as const,
      insufficient: reasons,
      summary: `insufficient data: ${reasons.join("; ")}`,
      rules: [],
      snippets: {},
    };
    const passed: BenchReport = { ...demo, recommendation, gate: { ...demo.gate, passed: true } };
    const failed: BenchReport = {
      ...demo,
      recommendation,
      gate: {
        ...demo.gate,
        passed: false,
        checks: demo.gate.checks.map((c, i) => (i === 0 ? { ...c, status: "failed" as const } : c)),
      },
    };
    for (const report of [passed, failed]) {
      const markdown = renderMarkdown(report);
      const html = await renderHtml(report);
      for (const reason of reasons) {
        expect(count(markdown, reason), `report.md, gate ${report.gate.passed ? "passed" : "failed"}`).toBe(1);
        expect(count(html, reason), `report.html, gate ${report.gate.passed ? "passed" : "failed"}`).toBe(1);
      }
    }
    expect(renderMarkdown(passed)).toContain("Migration: **insufficient data** (why: above)");
  });
});
