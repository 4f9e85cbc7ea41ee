import { strategyLabel } from "../recommend/recommend.js";
import type { Agreement, BenchReport, ConfigMetrics } from "../schema/report.js";
import { escapeMarkdown as md, formatInterval, formatNumber, formatPercent, formatSigned, truncate } from "./format.js";

const MAX_MISSED = 15;
const MAX_JUNK = 10;
const MAX_ERRORS = 10;
const MAX_PREDICATES = 20;
const MAX_DISAGREEMENTS = 10;

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

function metricRows(report: BenchReport): string[][] {
  const { baseline: a, candidate: b, delta } = report.metrics;
  const withCi = (value: number | null, ci: [number, number] | null) => `${formatNumber(value)} ${formatInterval(ci)}`.trim();
  const pair = (label: string, pick: (m: ConfigMetrics) => string, change: string) => [label, pick(a), pick(b), change];
  return [
    ["precision", withCi(a.precision.value, a.precision.ci), withCi(b.precision.value, b.precision.ci), `${formatSigned(delta.precision.value)} ${formatInterval(delta.precision.ci)}`.trim()],
    ["recall", withCi(a.recall.value, a.recall.ci), withCi(b.recall.value, b.recall.ci), `${formatSigned(delta.recall.value)} ${formatInterval(delta.recall.ci)}`.trim()],
    pair("extractions / turn", (m) => formatNumber(m.extraction.per_turn), formatSigned(delta.extraction_per_turn_pct, 1, "%")),
    pair("extractions / conversation", (m) => formatNumber(m.extraction.per_conversation, 2), ""),
    pair("junk rate (sample)", (m) => `${formatPercent(m.junk.rate)} (${m.junk.junk}/${m.junk.sampled})`, formatSigned(delta.junk_pp, 1, " pp")),
    pair("confidence ≥ 0.7", (m) => formatPercent(m.confidence.high_share), formatSigned(delta.confidence_high_share_pp, 1, " pp")),
    pair("mean confidence", (m) => formatNumber(m.confidence.mean), formatSigned(delta.confidence_mean)),
    pair("JSON fail rate", (m) => formatPercent(m.operating.json_fail_rate), ""),
    pair("dedup collapse rate", (m) => formatPercent(m.operating.dedup_collapse_rate), ""),
    pair("entity-resolution fail rate", (m) => formatPercent(m.operating.entity_resolution_fail_rate), ""),
    pair("candidates", (m) => String(m.candidates), ""),
    pair("failed conversations", (m) => String(m.conversations_failed), ""),
  ];
}

/** An inline code span: content shown verbatim (Markdown escapes would show as backslashes). */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, " ")}\``;
}

function list(values: string[], max: number): string {
  if (values.length === 0) return "none";
  const shown = values.slice(0, max).map(code).join(", ");
  return values.length > max ? `${shown}, … (${values.length - max} more)` : shown;
}

function agreementLines(agreement: Agreement, judge: BenchReport["judge"]): string[] {
  const lines = ["", "### Judge vs human labels", ""];
  lines.push(`${agreement.matched} of ${agreement.labels} labels matched a candidate of this run (by conversation and text).${judge.kind === "llm" ? "" : " The judge is not an LLM."}`, "");
  const measures = [["usefulness (useful or not)", agreement.usefulness], ["junk", agreement.junk]] as const;
  lines.push(...table(["judgement", "pairs", "accuracy", "Cohen's κ"], measures.map(([name, m]) => [name, String(m.pairs), formatPercent(m.accuracy), formatNumber(m.kappa, 2)])));
  for (const [name, m] of measures) {
    if (m.disagreements_total === 0) continue;
    lines.push("", `<details><summary>${name}: ${m.disagreements_total} disagreements</summary>`, "");
    for (const d of m.disagreements.slice(0, MAX_DISAGREEMENTS)) lines.push(`- ${d.role} ${code(d.conversation_id)} ${md(truncate(d.text, 120))} — judge: ${md(d.judge)}; human: ${md(d.human)}`);
    if (m.disagreements_total > MAX_DISAGREEMENTS) lines.push(`- … ${m.disagreements_total - MAX_DISAGREEMENTS} more in report.json`);
    lines.push("", "</details>");
  }
  return lines;
}

/** A PR-comment-sized summary: verdict and gate first, then the numbers behind them. */
export function renderMarkdown(report: BenchReport): string {
  const { recommendation: rec, gate, vocabulary, run } = report;
  const lines: string[] = [];
  lines.push(`## extractor-bench: ${strategyLabel(rec.strategy)} (${rec.risk} risk)`);
  lines.push("");
  lines.push(
    `**Gate: ${gate.passed ? "✅ passed" : "❌ failed"}** · baseline ${code(run.configs.baseline.name)} → candidate ${code(run.configs.candidate.name)} · ` +
      `${run.dataset.conversations} conversations, ${run.golden.memories} golden memories · judge: ${md(report.judge.description)}`,
  );
  if (!run.complete) lines.push("", "> ⚠️ The run did not finish: these numbers cover only the work in the run log.");
  for (const warning of rec.warnings) lines.push("", `> ⚠️ ${md(warning)}`);

  lines.push("", "### Recommendation", "", md(rec.summary), "");
  if (rec.rules.length > 0) {
    lines.push(...table(["rule", "risk", "strategy", "evidence"], rec.rules.map((r) => [md(r.change), r.risk, strategyLabel(r.strategy), r.evidence.map(md).join("<br>")])));
  }

  lines.push("", "### Metrics", "", ...table(["metric", "baseline", "candidate", "Δ"], metricRows(report)));
  lines.push("", "Intervals are 95% paired-bootstrap intervals over conversations.");

  if (report.flags.length > 0) lines.push("", "### Flags", "", ...report.flags.map((f) => `- ${md(f.message)}`));

  lines.push("", "### Gate", "");
  lines.push(...table(["check", "value", "limit", "result"], gate.checks.map((c) => [md(c.description), md(c.detail), String(c.limit), c.passed ? "✅" : "❌"])));

  lines.push("", "### Predicate vocabulary", "");
  lines.push(`Jaccard over the top ${vocabulary.top_k}: **${formatNumber(vocabulary.jaccard)}** (${vocabulary.band ?? "n/a"})`, "");
  lines.push(`- only baseline: ${list(vocabulary.only_baseline, MAX_PREDICATES)}`);
  lines.push(`- only candidate: ${list(vocabulary.only_candidate, MAX_PREDICATES)}`);

  lines.push("", "### Confidence histogram", "");
  const a = report.metrics.baseline.confidence.histogram;
  const b = report.metrics.candidate.confidence.histogram;
  lines.push(...table(["bucket", "baseline", "candidate"], a.map((bucket, i) => [
    `${bucket.from}–${bucket.to}`,
    `${bucket.count} (${formatPercent(bucket.share, 0)})`,
    `${b[i]?.count ?? 0} (${formatPercent(b[i]?.share ?? null, 0)})`,
  ])));

  const types = [...new Set([...Object.keys(report.types.baseline), ...Object.keys(report.types.candidate)])];
  lines.push("", "### Types", "", ...table(["type", "baseline", "candidate"], types.map((t) => [md(t), String(report.types.baseline[t] ?? 0), String(report.types.candidate[t] ?? 0)])));
  if (report.types.moved.length > 0) lines.push("", `Moved: ${report.types.moved.map((m) => `${md(m.from)} → ${md(m.to)} (${m.count})`).join(", ")}`);

  if (report.agreement) lines.push(...agreementLines(report.agreement, report.judge));

  const snippets = Object.entries(rec.snippets).filter(([, text]) => text);
  if (snippets.length > 0) {
    lines.push("", "### Suggested config", "");
    for (const [name, text] of snippets) lines.push(`${name}:`, "", "```yaml", text!.trimEnd(), "```", "");
  }

  const lost = report.missed.filter((m) => m.role === "candidate" && m.covered_by_other);
  if (lost.length > 0) {
    lines.push("", `<details><summary>Golden memories the candidate lost (${lost.length})</summary>`, "");
    for (const m of lost.slice(0, MAX_MISSED)) lines.push(`- ${code(m.golden_id)} ${md(truncate(m.text, 160))}`);
    if (lost.length > MAX_MISSED) lines.push(`- … ${lost.length - MAX_MISSED} more in report.json`);
    lines.push("", "</details>");
  }
  const junk = report.junk_examples.filter((j) => j.role === "candidate");
  if (junk.length > 0) {
    lines.push("", `<details><summary>Candidate junk examples (${junk.length})</summary>`, "");
    for (const j of junk.slice(0, MAX_JUNK)) lines.push(`- ${md(truncate(j.text, 160))} — ${j.category ?? "other"}: ${md(j.reason)}`);
    lines.push("", "</details>");
  }
  if (report.errors.length > 0) {
    lines.push("", `### Errors (${report.errors.length})`, "");
    for (const e of report.errors.slice(0, MAX_ERRORS)) lines.push(`- ${e.role} ${code(e.conversation_id)} ${e.stage} ${md(e.kind)}: ${md(truncate(e.message, 200))}`);
    if (report.errors.length > MAX_ERRORS) lines.push(`- … ${report.errors.length - MAX_ERRORS} more in report.json`);
  }
  lines.push("", `<sub>run ${md(run.run_id)} · extractor-bench ${md(run.tool_version)} · seed ${run.seed}</sub>`, "");
  return lines.join("\n");
}
