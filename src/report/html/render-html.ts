import { createHash } from "node:crypto";
import { formatCount } from "../../text/format-number.js";
import type { BenchReport } from "../../schema/report.js";
import { calibrationSpec } from "../charts/calibration.js";
import { confidenceHistogramSpec } from "../charts/confidence-histogram.js";
import { conversationChangeSpec } from "../charts/conversation-change.js";
import { junkCategoriesSpec } from "../charts/junk-categories.js";
import { retrievalStrategiesSpec } from "../charts/retrieval-strategies.js";
import { renderRetrieval } from "./sections-retrieval.js";
import { renderSvgCharts } from "../charts/render-svg.js";
import type { VegaLiteSpec } from "../charts/theme.js";
import { typeDistributionSpec } from "../charts/type-distribution.js";
import { rankConversationChanges } from "../conversation-changes.js";
import { truncate } from "../format.js";
import { viewGate } from "../gate-view.js";
import { metricRows } from "../metric-rows.js";
import { strategyLabel } from "../../recommend/strategy-label.js";
import { renderHero } from "./hero.js";
import { html, trusted, type Html } from "./html.js";
import { renderConfidence, renderTypes, renderVocabulary } from "./sections-drift.js";
import { renderEntities, renderFields } from "./sections-alignment.js";
import { renderAgreement } from "./sections-agreement.js";
import { hasModelSection, renderModels } from "./sections-models.js";
import { renderErrors, renderJunk, renderMissed } from "./sections-examples.js";
import { renderRunFacts, renderSnippets } from "./sections-config.js";
import { renderReextraction } from "./sections-reextraction.js";
import { renderConversations, renderMetrics } from "./sections-results.js";
import { REPORT_SCRIPT } from "./script.js";
import { REPORT_CSS } from "./style.js";
import { judgeName } from "../../judge/judge-table.js";

const TOC: [string, string][] = [
  ["metrics", "Metrics"],
  ["conversations", "Conversations"],
  ["vocabulary", "Vocabulary"],
  ["confidence", "Confidence"],
  ["types", "Types"],
  ["fields", "Field agreement"],
  ["entities", "Entities"],
  ["junk", "Junk"],
  ["missed", "Missed memories"],
  ["agreement", "Human labels"],
  ["models", "Models and cost"],
  ["snippets", "Suggested config"],
  ["retrieval", "Retrieval"],
  ["reextraction", "Re-extraction"],
  ["run", "Run facts"],
];

/** Every chart of the report as a vega-lite spec; null where there is nothing to draw. */
export function reportChartSpecs(report: BenchReport) {
  return {
    conversations: conversationChangeSpec(rankConversationChanges(report)),
    confidence: confidenceHistogramSpec(report),
    calibration: calibrationSpec(report),
    types: typeDistributionSpec(report),
    junk: junkCategoriesSpec(report),
    retrieval: retrievalStrategiesSpec(report),
  };
}

type ChartName = keyof ReturnType<typeof reportChartSpecs>;

/** The page around the sections: inline CSS, one hashed inline script, a CSP that forbids any request. */
function page(title: string, body: Html): string {
  const scriptHash = createHash("sha256").update(REPORT_SCRIPT).digest("base64");
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${trusted(REPORT_CSS)}</style>
</head><body>
${body}
<script>${trusted(REPORT_SCRIPT)}</script>
</body></html>
`.markup;
}

/** The self-contained HTML report: charts rendered to inline SVG, every string from data escaped. */
export async function renderHtml(report: BenchReport): Promise<string> {
  const specs = reportChartSpecs(report);
  const names = (Object.keys(specs) as ChartName[]).filter((name) => specs[name] !== null);
  const svgs = await renderSvgCharts(names.map((name) => specs[name] as VegaLiteSpec));
  // vega's renderer escapes the text it draws; its SVG is the one markup from outside the template that passes through.
  const charts = Object.fromEntries(
    names.map((name, i) => {
      const rendered = svgs[i]!;
      return [
        name,
        "svg" in rendered
          ? trusted(rendered.svg)
          : html`<p class="note">This chart could not be drawn: ${rendered.error}</p>`,
      ];
    }),
  ) as Partial<Record<ChartName, Html>>;

  const gate = viewGate(report);
  const rows = metricRows(report);
  const { run } = report;
  const body = html`<main>
<header class="top"><h1>extractor-bench</h1><span class="sub"><code>${truncate(run.configs.baseline.name, 60)}</code> → <code>${truncate(run.configs.candidate.name, 60)}</code> · ${formatCount(run.dataset.conversations)} conversations · ${formatCount(run.golden.memories)} golden memories · ${judgeName(report.judge, (title) => `${title} (not an LLM)`)}${run.complete ? "" : " · INCOMPLETE RUN"}</span></header>
${renderHero(report, gate, rows)}
<nav class="toc">${TOC.filter(([id]) => (id !== "agreement" || report.agreement) && (id !== "models" || hasModelSection(report)) && (id !== "reextraction" || report.reextraction) && (id !== "retrieval" || report.retrieval)).map(([id, label]) => html`<a href="#${id}">${label}</a> `)}</nav>
${renderMetrics(report, rows)}
${renderConversations(rankConversationChanges(report), charts.conversations, report.conversation_counts)}
${renderVocabulary(report)}
${renderConfidence(report, charts.confidence, charts.calibration)}
${renderTypes(report, charts.types)}
${renderFields(report)}
${renderEntities(report)}
${renderJunk(report, charts.junk)}
${renderMissed(report)}
${renderAgreement(report)}
${renderModels(report)}
${renderSnippets(report)}
${renderRetrieval(report, charts.retrieval)}
${renderReextraction(report)}
${renderRunFacts(report)}
${renderErrors(report)}
<footer>extractor-bench ${run.tool_version} · run <code>${run.run_id}</code> · self-contained report: no network requests.</footer>
</main>`;
  const title = `${gate.passed ? "Gate passed" : "Gate FAILED"} · ${strategyLabel(report.recommendation.strategy)} · ${truncate(run.configs.baseline.name, 60)} → ${truncate(run.configs.candidate.name, 60)}`;
  return page(title, body);
}
