import { jaccardBandLabel } from "../../metrics/band-label.js";
import { strategyLabel } from "../../recommend/strategy-label.js";
import type { BenchReport } from "../../schema/report.js";
import { reportMetrics } from "../../metrics/metric-table.js";
import { formatNumber } from "../../text/format-number.js";
import { truncate } from "../format.js";
import { SNIPPET_DESTINATION } from "../../recommend/snippet-destination.js";
import { GATE_RULE, type GateView } from "../gate-view.js";
import type { MetricRow } from "../metric-rows.js";
import { levelShort } from "../metric-text.js";
import { html, type Html } from "./html.js";
import { SNIPPET_TITLES } from "./sections-config.js";

const STATUS_LABEL = {
  passed: "pass",
  failed: "fail",
  inconclusive: "inconclusive",
  not_measured: "not measured",
} as const;

/** The first screen: the gate with every failing or unmeasured check, the migration verdict, key numbers. */
export function renderHero(report: BenchReport, gate: GateView, rows: MetricRow[]): Html {
  const rec = report.recommendation;
  const snippetNames = Object.entries(rec.snippets)
    .filter(([, text]) => text)
    .map(([name]) => name);
  const attention = gate.attention;
  const inconclusive = gate.checks.filter((c) => c.status === "inconclusive").length;
  const title = gate.passed
    ? `Gate passed${inconclusive > 0 ? `, ${inconclusive} check${inconclusive > 1 ? "s" : ""} inconclusive` : ""}`
    : `Gate failed: ${gate.checks.filter((c) => c.blocking).length} of ${gate.checks.length} checks`;
  const listed = attention.length > 0 ? attention : gate.checks;
  const state = !gate.passed ? "failed" : gate.insufficient ? "insufficient" : "passed";
  const badge = { failed: "Do not merge", insufficient: "Insufficient data", passed: "OK to merge" }[state];
  const verdict = html`<div class="card verdict ${state}" id="verdict">
<span class="badge">${badge}</span>
<h2>${title}</h2>
<p class="headline">${gate.headline}</p>
<ul class="checks">${listed.map(
    (c) =>
      html`<li data-check="${c.id}" data-status="${c.status}"><span class="st ${c.status}">${STATUS_LABEL[c.status]}</span> <span><span class="label">${c.label}</span> ${c.value} <span class="limit">(limit: ${c.limit})</span>${c.status === "inconclusive" && c.outcome ? html` <span class="outcome">${c.outcome.replace(/^inconclusive, /, "")}</span>` : ""}</span></li>`,
  )}</ul>
<p class="note rule">${GATE_RULE}</p>
${attention.length > 0 && attention.length < gate.checks.length ? html`<p class="note">${gate.checks.length - attention.length} other checks passed.</p>` : ""}
${report.gate.thresholds.on_unmeasured === "pass" && attention.some((c) => c.status === "not_measured") ? html`<p class="note">Unmeasured checks are let through (on_unmeasured: pass).</p>` : ""}
${report.gate.thresholds.on_inconclusive === "fail" && inconclusive > 0 ? html`<p class="note">Inconclusive checks fail the gate (on_inconclusive: fail).</p>` : ""}
</div>`;
  const strategy = html`<div class="card strategy" id="strategy">
<span class="risk ${rec.risk}">${rec.risk === "unknown" ? "risk unknown" : `${rec.risk} risk`}</span>
<h2>Migration: ${strategyLabel(rec.strategy)}</h2>
${rec.insufficient.length === 0 ? html`<p class="headline">Because: ${truncate(rec.summary.replace(/^[^:]*: /, ""), 300)}</p>` : ""}
${rec.insufficient.length > 0 && gate.passed ? html`<p class="headline">Too little was measured to recommend one: the reasons are under the gate.</p>` : ""}
${rec.insufficient.length > 0 && !gate.passed ? html`<ul class="checks">${rec.insufficient.slice(0, 4).map((r) => html`<li><span class="st not_measured">insufficient</span> <span>${truncate(r, 300)}</span></li>`)}</ul>` : ""}
<ul class="checks">${rec.rules.slice(0, 4).map((r) => html`<li><span class="st ${r.risk === "high" ? "failed" : r.risk === "medium" ? "not_measured" : "passed"}">${r.risk}</span> <span>${r.change}: ${truncate(r.evidence[0] ?? "", 200)}</span></li>`)}</ul>
${(rec.not_measured ?? []).slice(0, 2).map((w) => html`<p class="note">⚠ Not measured: ${truncate(w, 300)}</p>`)}
${rec.warnings.slice(0, 3).map((w) => html`<p class="note">⚠ ${truncate(w, 300)}</p>`)}
${snippetNames.length > 0 ? html`<p class="note">Suggested config: ${snippetNames.map((name, i) => html`${i > 0 ? "; " : ""}<a href="#snippet-${name}">${SNIPPET_TITLES[name] ?? name}</a> (${SNIPPET_DESTINATION[name as keyof typeof SNIPPET_DESTINATION] ?? ""})`)}.</p>` : ""}
</div>`;
  const tile = (title: string, row: MetricRow | undefined, value: string) =>
    html`<div class="tile"><div class="k">${title}</div><div class="v">${value}</div><div class="d ${row?.direction ?? ""}">${row ? `${row.delta} ${row.interval}`.trim() : ""}</div></div>`;
  const metricTiles = reportMetrics(report, "hero").map(({ def, notMeasured }) => {
    const value =
      notMeasured !== undefined
        ? "not measured"
        : `${levelShort(def, def.levelOf(report, "baseline"))} → ${levelShort(def, def.levelOf(report, "candidate"))}`;
    return tile(
      def.label,
      rows.find((r) => r.key === def.key),
      value,
    );
  });
  const tiles = html`<div class="tiles">
${metricTiles.map(
  (t) => html`${t}
`,
)}<div class="tile"><div class="k">predicate Jaccard</div><div class="v">${formatNumber(report.vocabulary.jaccard)}</div><div class="d ${report.vocabulary.band === "significant" ? "worse" : ""}">${jaccardBandLabel(report.vocabulary.band)}</div></div>
</div>`;
  return html`<div class="hero">${verdict}${strategy}</div>${tiles}`;
}
