import { beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report/html/render-html.js";
import type { BenchReport } from "../../../src/schema/report.js";
import { HOSTILE, hostileRun, pinned, readReport, runDemo } from "../fixtures.js";
import { htmlTextContent } from "./text-content.js";

const TWO_MB = 2 * 1024 * 1024;

describe("report.html", () => {
  let demo: BenchReport;
  let page: string;
  beforeAll(async () => {
    demo = pinned(readReport(await runDemo()));
    page = await renderHtml(demo);
  });

  it("renders the demo report's text as committed", async () => {
    await expect(htmlTextContent(page)).toMatchFileSnapshot("../../fixtures/reports/demo-report.html.txt");
  });

  it("is self-contained: no external script, style, font, image or link, and a CSP that forbids requests", () => {
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    expect(page).not.toMatch(/\ssrc=/i);
    expect(page).not.toMatch(/url\((?!#chart\d+-)/i);
    expect(page).not.toMatch(/<link\b/i);
    expect([...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).every((href) => href!.startsWith("#"))).toBe(true);
    expect(page.match(/<script\b/g)).toHaveLength(1);
  });

  it("puts the verdict and the gate before everything else", () => {
    const text = htmlTextContent(page).split("\n");
    expect(text.slice(0, 6).join(" ")).toMatch(/OK to merge Gate passed/);
    expect(text.findIndex((l) => l.startsWith("Metrics"))).toBeGreaterThan(
      text.findIndex((l) => l.includes("precision change")),
    );
  });

  it("draws every chart as inline SVG", () => {
    // Five drift charts and the retrieval simulation's answerable share per strategy.
    expect(page.match(/<svg\b/g)?.length).toBe(6);
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("stays under 2 MB", () => {
    expect(Buffer.byteLength(page)).toBeLessThan(TWO_MB);
  });

  it("names each failing check with its value and limit in the first block", async () => {
    const failing: BenchReport = {
      ...demo,
      gate: {
        ...demo.gate,
        passed: false,
        checks: demo.gate.checks.map((c) =>
          c.id === "extraction_count_change"
            ? { ...c, value: 0.85, status: "failed" as const, detail: "extractions per turn +85.0% (limit ±40.0%)" }
            : c.id === "json_fail_rate"
              ? {
                  ...c,
                  value: null,
                  status: "not_measured" as const,
                  detail: "not measured: the candidate made no extract call (limit 2.0%)",
                }
              : c,
        ),
      },
    };
    const text = htmlTextContent(await renderHtml(failing))
      .split("\n")
      .slice(0, 12)
      .join("\n");
    expect(text).toContain("Do not merge");
    expect(text).toContain(`Gate failed: 2 of ${demo.gate.checks.length} checks`);
    expect(text).toContain("fail extractions per turn change, either way extractions per turn +85.0% (limit: ±40.0%)");
    expect(text).toContain(
      "not measured candidate JSON fail rate not measured: the candidate made no extract call (limit: 2.0%)",
    );
  });
});

describe("report.html with hostile data", () => {
  let page: string;
  beforeAll(async () => {
    page = await renderHtml((await hostileRun()).report);
  });

  it("renders markup from conversations, golden memories, config names and judge reasons as text", () => {
    expect(page.match(/<script\b/gi)).toHaveLength(1);
    expect(page.match(/<style\b/gi)).toHaveLength(1);
    expect(page.match(/<\/style>/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<img\b/i);
    expect(page).not.toMatch(/<a\s+href="javascript:/i);
    expect(page).not.toMatch(/<svg[^>]*onload/i);
    expect(page).not.toContain("\u001b");
    const text = htmlTextContent(page);
    for (const value of [HOSTILE.script, HOSTILE.img, HOSTILE.style]) expect(text).toContain(value);
  });

  it("renders judge-vs-human agreement when labels were given", () => {
    const text = htmlTextContent(page);
    expect(text).toContain("Judge vs human labels");
    expect(text).toMatch(/usefulness \(useful or not\) \| 2 \| 50\.0% \| 0\.00 \|/);
    expect(text).toContain(`human: not useful ${HOSTILE.script}`);
  });

  it("a run too small for a verdict says so on the first screen, even when the gate passed", () => {
    const text = htmlTextContent(page).split("\n");
    const start = text.indexOf("Insufficient data");
    expect(start).toBeGreaterThan(0);
    expect(text[start + 2]).toMatch(
      /^The gate passed, but too little was measured to trust it or to recommend a migration: 1 of 1 conversations are paired/,
    );
  });
});
