import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HIGH_CONFIDENCE_BAND, jaccardBandRange, jaccardBandScale } from "../../src/metrics/band-label.js";
import { HIGH_CONFIDENCE } from "../../src/metrics/confidence.js";
import { METRICS, metricDefinition } from "../../src/metrics/metric-table.js";
import { JACCARD_MINIMAL_DRIFT, JACCARD_SIGNIFICANT_BREAK } from "../../src/metrics/vocabulary.js";
import { renderHtml } from "../../src/report/html/render-html.js";
import { metricRows } from "../../src/report/metric-rows.js";
import { compareReports, renderComparison } from "../../src/report/render-compare.js";
import { renderJunit } from "../../src/report/render-junit.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderSummary } from "../../src/report/render-summary.js";
import type { BenchReport } from "../../src/schema/report.js";
import { REPO } from "../cli/helpers.js";
import { readReport, runDemo } from "./fixtures.js";

/** The value at a report.json path of the table, for one config. */
function atPath(report: BenchReport, path: string, role: "baseline" | "candidate"): unknown {
  const full = path.includes("<role>") ? path.replace("<role>", role) : `metrics.${role}.${path}`;
  return full.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], report);
}

let demo: BenchReport;
beforeAll(async () => {
  demo = readReport(await runDemo());
});

describe("the metric table", () => {
  it("names each metric once, by key and by label", () => {
    const keys = METRICS.map((d) => d.key);
    const labels = METRICS.map((d) => d.label);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("says where report.json keeps each level and change, and reads the same values from there", () => {
    for (const def of METRICS.filter((d) => !d.applies || d.applies(demo))) {
      for (const role of ["baseline", "candidate"] as const) {
        const stored = atPath(demo, def.json.level, role);
        expect(stored, `${def.key} ${role} at ${def.json.level}`).not.toBeUndefined();
        // Partial coverage is stored as a count and shown as a share of the golden memories.
        if (def.key !== "recall_partial") expect(def.levelOf(demo, role).value, def.key).toBe(stored);
      }
      if (def.json.change)
        expect(
          demo.metrics.delta[def.json.change as keyof BenchReport["metrics"]["delta"]],
          def.key,
        ).not.toBeUndefined();
    }
  });

  it("limits a change only by a numeric gate threshold the report carries", () => {
    for (const def of METRICS.filter((d) => d.gate))
      expect(typeof demo.gate.thresholds[def.gate!], def.key).toBe("number");
  });

  it("gives every metric a row of the Markdown and HTML tables, in table order", () => {
    expect(metricRows(demo).map((r) => r.key)).toEqual(
      METRICS.filter((d) => !d.applies || d.applies(demo)).map((d) => d.key),
    );
  });

  it("is the only place a renderer finds a metric's label: none is typed in src/report", () => {
    const files = readdirSync(join(REPO, "src/report"), { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".ts"),
    );
    const sources = files.map((f) => readFileSync(join(REPO, "src/report", f), "utf8")).join("\n");
    for (const def of METRICS.filter((d) => d.label !== d.key)) {
      expect(sources.includes(`"${def.label}"`) || sources.includes(`\`${def.label}\``), def.label).toBe(false);
    }
  });
});

describe("band labels", () => {
  it("are written from their named constants", () => {
    expect(HIGH_CONFIDENCE_BAND).toBe(`≥ ${HIGH_CONFIDENCE}`);
    expect(metricDefinition("confidence_high_share").label).toBe(`confidence ≥ ${HIGH_CONFIDENCE}`);
    expect(jaccardBandRange("noticeable")).toBe(`${JACCARD_SIGNIFICANT_BREAK}–${JACCARD_MINIMAL_DRIFT}`);
    expect(jaccardBandScale()).toBe(
      `≥ ${JACCARD_MINIMAL_DRIFT} minimal drift, ${JACCARD_SIGNIFICANT_BREAK}–${JACCARD_MINIMAL_DRIFT} noticeable drift, < ${JACCARD_SIGNIFICANT_BREAK} significant break`,
    );
  });
});

describe("a metric added by one definition (useful memories per conversation)", () => {
  const LABEL = "useful memories / conversation";

  it("is in report.json per config and as a change", () => {
    // The demo's precision × extractions per conversation, up to rounding.
    for (const role of ["baseline", "candidate"] as const) {
      const m = demo.metrics[role];
      expect(m.useful_per_conversation).toBeCloseTo(m.precision.value! * m.extraction.per_conversation!, 3);
    }
    expect(demo.metrics.delta.useful_per_conversation).toBeCloseTo(
      demo.metrics.candidate.useful_per_conversation! / demo.metrics.baseline.useful_per_conversation! - 1,
      3,
    );
  });

  it("shows in the terminal summary, Markdown, HTML, JUnit and compare", async () => {
    const row = metricRows(demo).find((r) => r.key === "useful_per_conversation")!;
    expect(row).toMatchObject({
      label: LABEL,
      baseline: "3.68",
      candidate: "3.75",
      delta: "+1.9%",
      interval: "",
      direction: "better",
    });
    expect(renderSummary(demo)).toContain(`  ${LABEL} 3.68 → 3.75 (+1.9%)`);
    expect(renderMarkdown(demo)).toContain(`| ${LABEL} | 3.68 | 3.75 | \\+1.9% |  |`);
    expect(await renderHtml(demo)).toMatch(
      new RegExp(`<td class="">${LABEL}</td><td class="num">3\\.68</td><td class="num">3\\.75</td>`),
    );
    expect(renderJunit(demo)).toContain(
      `<property name="metric.useful_per_conversation" value="3.68 → 3.75 (+1.9%)"/>`,
    );
    const comparison = compareReports(demo, demo);
    expect(comparison.metrics.find((m) => m.key === "useful_per_conversation")).toMatchObject({
      metric: LABEL,
      unit: "relative",
      moved: 0,
    });
    expect(renderComparison(comparison)).toMatch(new RegExp(`${LABEL} +A \\+1\\.9% {2}B \\+1\\.9% {2}moved 0\\.0%`));
  });

  it("is not measured, never shown as a number, in a report an older version wrote", () => {
    const old: BenchReport = structuredClone(demo);
    delete old.metrics.baseline.useful_per_conversation;
    delete old.metrics.candidate.useful_per_conversation;
    delete old.metrics.delta.useful_per_conversation;
    expect(metricRows(old).find((r) => r.key === "useful_per_conversation")).toMatchObject({
      baseline: "not measured",
      candidate: "not measured",
      delta: "",
    });
    expect(renderSummary(old)).toContain(`${LABEL} not measured`);
  });
});

describe("the HTML hero", () => {
  it("finds its tiles by key, with the row's direction", async () => {
    const page = await renderHtml(demo);
    // The demo's junk rate rose: its tile is marked worse, as its table row is.
    expect(page).toMatch(
      /<div class="k">junk rate<\/div><div class="v">0\.0% → 3\.4%<\/div><div class="d worse">\+3\.4 pp \[\+0\.9, \+6\.2\] pp<\/div>/,
    );
    expect(page).toMatch(/<div class="k">extractions \/ turn<\/div><div class="v">0\.268 → 0\.283<\/div>/);
  });
});
