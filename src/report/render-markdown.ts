import { strategyLabel } from "../recommend/recommend.js";
import type { Agreement, BenchReport, ConfigMetrics, GateCheck } from "../schema/report.js";
import { FIELD_NAMES, MATCH_MODES } from "../schema/report.js";
import { formatCount, formatInterval, formatLimit, formatNumber, formatPoints, formatRate, formatRelative, formatSignedNumber } from "../text/format-number.js";
import { escapeMarkdown as md, truncate } from "./format.js";
import { modelMarkdown, noiseNote } from "./render-models.js";

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
  const rate = (value: number | null, ci: [number, number] | null) => `${formatRate(value)} ${formatInterval(ci, "rate")}`.trim();
  const points = (value: number | null, ci: [number, number] | null) => `${formatPoints(value)} ${formatInterval(ci, "pp")}`.trim();
  const pair = (label: string, pick: (m: ConfigMetrics) => string, change: string) => [label, pick(a), pick(b), change];
  return [
    ["precision", rate(a.precision.value, a.precision.ci), rate(b.precision.value, b.precision.ci), points(delta.precision.value, delta.precision.ci)],
    ["recall", rate(a.recall.value, a.recall.ci), rate(b.recall.value, b.recall.ci), points(delta.recall.value, delta.recall.ci)],
    pair("extractions / turn", (m) => formatNumber(m.extraction.per_turn), `${formatRelative(delta.extraction_per_turn.value)} ${formatInterval(delta.extraction_per_turn.ci, "relative")}`.trim()),
    pair("extractions / conversation", (m) => formatNumber(m.extraction.per_conversation, 2), ""),
    ["junk rate", `${rate(a.junk.rate, a.junk.ci)} (${a.junk.junk}/${a.junk.judged})`, `${rate(b.junk.rate, b.junk.ci)} (${b.junk.junk}/${b.junk.judged})`, points(delta.junk.value, delta.junk.ci)],
    pair("confidence ≥ 0.7", (m) => formatRate(m.confidence.high_share), formatPoints(delta.confidence_high_share)),
    pair("mean confidence", (m) => formatNumber(m.confidence.mean), formatSignedNumber(delta.confidence_mean)),
    pair("JSON fail rate", (m) => formatRate(m.operating.json_fail_rate), formatPoints(delta.json_fail_rate)),
    pair("dedup collapse rate", (m) => formatRate(m.operating.dedup_collapse_rate), formatPoints(delta.dedup_collapse_rate)),
    ["entity-resolution fail rate", formatRate(report.entities.baseline.fail_rate), formatRate(report.entities.candidate.fail_rate), formatPoints(report.entities.fail_rate_delta)],
    pair("candidates", (m) => formatCount(m.candidates), ""),
  ];
}

const STATUS_MARK: Record<GateCheck["status"], string> = { passed: "✅ passed", failed: "❌ failed", not_measured: "⚠️ not measured" };

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
  lines.push(...table(["judgement", "pairs", "accuracy", "Cohen's κ"], measures.map(([name, m]) => [name, formatCount(m.pairs), formatRate(m.accuracy), formatNumber(m.kappa, 2)])));
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
  const { recommendation: rec, gate, vocabulary, run, completeness } = report;
  const lines: string[] = [];
  lines.push(`## extractor-bench: ${strategyLabel(rec.strategy)}${rec.risk === "unknown" ? "" : ` (${rec.risk} risk)`}`);
  lines.push("");
  const blocking = gate.checks.filter((c) => c.status !== "passed");
  lines.push(
    `**Gate: ${gate.passed ? "✅ passed" : "❌ failed"}**${blocking.length > 0 ? `: ${blocking.map((c) => `${code(c.id)} ${c.status === "failed" ? "failed" : "not measured"}`).join(", ")}` : ""} · ` +
      `baseline ${code(run.configs.baseline.name)} → candidate ${code(run.configs.candidate.name)} · ` +
      `${run.dataset.conversations} conversations (${completeness.paired_conversations} paired), ${run.golden.memories} golden memories · judge: ${md(report.judge.description)}`,
  );
  if (!completeness.complete) lines.push("", `> ⚠️ The run did not finish (${completeness.missing_dry_runs} dry runs missing): these numbers cover only the work in the run log.`);
  for (const reason of rec.insufficient) lines.push("", `> ⚠️ Insufficient data: ${md(reason)}`);
  for (const warning of rec.warnings) lines.push("", `> ⚠️ ${md(warning)}`);

  lines.push("", "### Gate", "");
  lines.push(...table(["check", "measured", "limit", "result"], gate.checks.map((c) => [md(c.description), md(c.detail.replace(/ \(limit [^)]*\)$/, "")), formatLimit(c.limit, c.unit), STATUS_MARK[c.status]])));
  if (gate.thresholds.on_unmeasured === "pass") lines.push("", "Checks that could not be measured are let through (`on_unmeasured: pass`).");

  lines.push("", "### Recommendation", "", md(rec.summary), "");
  if (rec.rules.length > 0) {
    lines.push(...table(["rule", "risk", "strategy", "evidence"], rec.rules.map((r) => [md(r.change), r.risk, strategyLabel(r.strategy), r.evidence.map(md).join("<br>")])));
  }
  if (rec.config_diff.kinds.length > 0) lines.push("", `Changed: ${rec.config_diff.kinds.map((k) => code(k)).join(", ")}`);

  lines.push("", "### Metrics", "", ...table(["metric", "baseline", "candidate", "Δ"], metricRows(report)));
  lines.push(
    "",
    `Over the ${completeness.paired_conversations} conversations where both configs produced a result; brackets are 95% paired-bootstrap intervals ` +
      `(${run.bootstrap_resamples} resamples over conversations). Junk on ${report.metrics.candidate.junk.conversations} conversations judged on both sides.`,
  );
  const mc = report.mcnemar;
  lines.push(
    "",
    `McNemar's exact test on golden memories covered by one config only: ${mc.baseline_only} by the baseline only, ${mc.candidate_only} by the candidate only, p = ${formatNumber(mc.p_value)}.`,
  );
  const noise = [noiseNote(report.judge_noise, "precision"), noiseNote(report.judge_noise, "recall")].filter(Boolean);
  if (noise.length > 0) lines.push("", `Beside the precision and recall deltas: ${noise.map(md).join("; ")}.`);

  lines.push("", "### Completeness", "");
  lines.push(...table(["", "dry runs", "failed", "failed by kind", "judge errors"], (["baseline", "candidate"] as const).map((role) => {
    const side = completeness[role];
    const kinds = Object.entries(side.failed_by_kind).map(([k, n]) => `${md(k)} ${n}`).join(", ") || "none";
    const judge = Object.entries(side.judge_errors).map(([k, n]) => `${md(k)} ${n}`).join(", ") || "none";
    return [role, String(side.attempted), `${side.failed} (${formatRate(side.failed_rate)})`, kinds, judge];
  })));

  lines.push(...modelMarkdown(report));

  if (report.flags.length > 0) lines.push("", "### Flags", "", ...report.flags.map((f) => `- ${md(f.message)}`));

  lines.push("", "### Predicate vocabulary", "");
  lines.push(`Jaccard over the top ${vocabulary.top_k}: **${formatNumber(vocabulary.jaccard)}** (${vocabulary.band ?? "n/a"})`, "");
  lines.push(`- only baseline: ${list(vocabulary.only_baseline, MAX_PREDICATES)}`);
  lines.push(`- only candidate: ${list(vocabulary.only_candidate, MAX_PREDICATES)}`);
  if (vocabulary.suggestions.length > 0) {
    lines.push(`- suggested mappings: ${vocabulary.suggestions.slice(0, MAX_PREDICATES).map((s) => `${code(s.from)} → ${code(s.to)} (${s.reason}, ${s.reconciles})`).join(", ")}`);
  }

  lines.push("", "### Confidence and calibration", "");
  const a = report.metrics.baseline.confidence.histogram;
  const b = report.metrics.candidate.confidence.histogram;
  lines.push(...table(["bucket", "baseline", "candidate"], a.map((bucket, i) => [
    `${bucket.from}–${bucket.to}`,
    `${bucket.count} (${formatRate(bucket.share, 0)})`,
    `${b[i]?.count ?? 0} (${formatRate(b[i]?.share ?? null, 0)})`,
  ])));
  const cal = report.calibration;
  lines.push("", ...table(["", "judged", "ECE", "Brier"], (["baseline", "candidate"] as const).map((role) => [
    role,
    `${cal[role].judged}${cal[role].indicative_only ? " (indicative only)" : ""}`,
    formatNumber(cal[role].ece),
    formatNumber(cal[role].brier),
  ])));
  if (cal.scaling) lines.push("", `Suggested \`confidence_scaling.factor\`: **${cal.scaling.factor}** (${md(cal.scaling.method)}).`);

  const types = [...new Set([...Object.keys(report.types.baseline), ...Object.keys(report.types.candidate)])];
  lines.push("", "### Types", "", ...table(["type", "baseline", "candidate"], types.map((t) => [md(t), String(report.types.baseline[t] ?? 0), String(report.types.candidate[t] ?? 0)])));
  const moved = report.types.moved_by_type.filter((t) => t.moved > 0);
  if (moved.length > 0) {
    lines.push("", `Moved (paired facts): ${moved.map((t) => `${md(t.type)} ${t.moved}/${t.pairs} (${formatRate(t.share, 0)}) ${t.to.map((m) => `→ ${md(m.type)} ${m.count}`).join(", ")}`).join("; ")}`);
  }

  lines.push("", "### Field-level agreement with the golden set", "");
  lines.push(...table(["field", ...MATCH_MODES.map((m) => `${m} F1 (baseline → candidate)`)], FIELD_NAMES.map((field) => [
    field,
    ...MATCH_MODES.map((mode) => `${formatNumber(report.fields.baseline.fields[field][mode].f1, 2)} → ${formatNumber(report.fields.candidate.fields[field][mode].f1, 2)}`),
  ])));
  lines.push("", `Optimal one-to-one alignment of candidates to golden memories: ${report.fields.baseline.aligned} baseline and ${report.fields.candidate.aligned} candidate pairs.`);

  lines.push("", "### Entity resolution", "");
  lines.push(...table(["", "mentions", "unresolved (fallback)", "fail rate", "most frequent unresolved"], (["baseline", "candidate"] as const).map((role) => {
    const e = report.entities[role];
    return [role, formatCount(e.mentions), formatCount(e.fallback), formatRate(e.fail_rate), e.top_unresolved.slice(0, 5).map((u) => `${code(u.mention)} ${u.count}`).join(", ") || "none"];
  })));

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
