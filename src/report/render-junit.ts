import { reportMetrics } from "../metrics/metric-table.js";
import type { BenchReport } from "../schema/report.js";
import { showControls } from "./control.js";
import { viewGate } from "./gate-view.js";
import { metricRows } from "./metric-rows.js";

const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text as XML 1.0 text or attribute: markup characters as entities, control characters (invalid in XML 1.0) shown. */
export function escapeXml(value: unknown): string {
  return showControls(String(value))
    .replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!)
    .replace(/\n/g, "&#10;");
}

/**
 * The metrics the table marks for JUnit, as suite properties a CI dashboard can chart across runs:
 * `metric.<key>` holds "baseline → candidate (change interval)", the numbers the Markdown table shows.
 */
function metricProperties(report: BenchReport): string[] {
  const rows = new Map(metricRows(report).map((row) => [row.key, row]));
  const properties = reportMetrics(report, "junit").flatMap(({ def }) => {
    const row = rows.get(def.key);
    if (!row) return [];
    const change = `${row.delta} ${row.interval}`.trim();
    const value = `${row.baseline} → ${row.candidate}${change ? ` (${change})` : ""}`;
    return [`      <property name="metric.${escapeXml(def.key)}" value="${escapeXml(value)}"/>`];
  });
  return properties.length > 0 ? ["    <properties>", ...properties, "    </properties>"] : [];
}

type Outcome = "passed" | "failed" | "skipped";

/**
 * JUnit XML for CI dashboards: one test case per gate check. A check that blocks the gate is a
 * failure; an inconclusive check that passes by default, or an unmeasured one let through, is skipped
 * with its sentence as the message (how many conversations would decide it, or why it was not measured).
 */
export function renderJunit(report: BenchReport): string {
  const views = viewGate(report).checks;
  const outcomes = views.map((view): { view: (typeof views)[number]; outcome: Outcome } => ({
    view,
    outcome: view.blocking ? "failed" : view.status === "passed" ? "passed" : "skipped",
  }));
  const count = (o: Outcome) => outcomes.filter((x) => x.outcome === o).length;
  const seconds = ((report.run.duration_ms ?? 0) / 1000).toFixed(3);
  const totals = `tests="${outcomes.length}" failures="${count("failed")}" skipped="${count("skipped")}" errors="0" time="${seconds}"`;
  const suite = `extractor-bench gate: ${report.run.configs.baseline.name} → ${report.run.configs.candidate.name}`;
  const cases = outcomes.map(({ view, outcome }) => {
    const detail = escapeXml(
      `${view.label}: ${view.value}; limit: ${view.limit}${view.outcome ? `; ${view.outcome}` : ""}`,
    );
    const inner =
      outcome === "failed"
        ? `<failure message="${escapeXml(view.sentence)}" type="${view.status}">${detail}</failure>`
        : outcome === "skipped"
          ? `<skipped message="${escapeXml(view.sentence)}"/>`
          : `<system-out>${detail}</system-out>`;
    return `    <testcase classname="extractor-bench.gate" name="${escapeXml(view.id)}" time="0">\n      ${inner}\n    </testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="extractor-bench" ${totals}>`,
    `  <testsuite name="${escapeXml(suite)}" ${totals} timestamp="${escapeXml(report.run.started_at.replace(/Z$/, ""))}">`,
    ...metricProperties(report),
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
