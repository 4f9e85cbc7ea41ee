import { strategyLabel } from "../recommend/recommend.js";
import type { BenchReport } from "../schema/report.js";
import { rankConversationChanges } from "./conversation-changes.js";
import { formatNumber, formatRate, formatSigned, truncate } from "./format.js";
import { viewGate, type CheckView } from "./gate-view.js";
import { markdownCode as code, markdownFence, markdownTable as table, md } from "./markdown.js";
import { metricRows } from "./metric-rows.js";

/** GitHub refuses comments over 65,536 characters; this leaves room for a wrapper the workflow adds. */
export const MARKDOWN_LIMIT = 60_000;
const MAX_MISSED = 15;
const MAX_JUNK = 10;
const MAX_ERRORS = 10;
const MAX_PREDICATES = 20;
const MAX_CONVERSATIONS = 10;
const MAX_EVIDENCE = 5;
const MAX_TEXT = 200;
const MAX_NAME = 80;
const MAX_WARNINGS = 5;

const ICON = { passed: "✅", failed: "❌", not_measured: "⚠️" } as const;

function list(values: string[], max: number): string {
  if (values.length === 0) return "none";
  const shown = values.slice(0, max).map((v) => code(v).text).join(", ");
  return values.length > max ? `${shown}, … (${values.length - max} more)` : shown;
}

function checkLine(c: CheckView): string {
  return `- ${ICON[c.status]} ${md`${truncate(c.sentence, 400)}`}`;
}

/** Verdict, gate and the checks that need attention: always first, always present. */
function head(report: BenchReport): string[] {
  const { recommendation: rec, run } = report;
  const gate = viewGate(report);
  const lines = [
    `## extractor-bench: ${gate.passed ? "✅ gate passed" : "❌ gate failed"} · ${strategyLabel(rec.strategy)} (${rec.risk} risk)`,
    "",
    gate.passed
      ? `**OK to merge**: all ${gate.checks.length} gate checks are within their limits${gate.attention.length > 0 ? `, ${gate.attention.length} not measured` : ""}.`
      : `**Do not merge**: the gate failed on ${gate.checks.filter((c) => c.status === "failed").length} of ${gate.checks.length} checks.`,
  ];
  if (gate.attention.length > 0) lines.push("", ...gate.attention.map(checkLine));
  lines.push(
    "",
    md`Migration: **${strategyLabel(rec.strategy)}** (${rec.risk} risk): ${truncate(rec.summary.replace(/^[^:]*: /, ""), MAX_TEXT)}`,
    "",
    `baseline ${code(truncate(run.configs.baseline.name, MAX_NAME))} → candidate ${code(truncate(run.configs.candidate.name, MAX_NAME))} · ` +
      md`${run.dataset.conversations} conversations, ${run.golden.memories} golden memories · judge: ${truncate(report.judge.description, MAX_TEXT)}`,
  );
  if (!run.complete) lines.push("", "> ⚠️ The run did not finish: these numbers cover only the work in the run log.");
  for (const warning of rec.warnings.slice(0, MAX_WARNINGS)) lines.push("", md`> ⚠️ ${truncate(warning, MAX_TEXT)}`);
  return lines;
}

function sections(report: BenchReport): string[][] {
  const { recommendation: rec, vocabulary } = report;
  const out: string[][] = [];
  out.push(["### Metrics", "", ...table(["metric", "baseline", "candidate", "candidate − baseline", "95% interval"],
    metricRows(report).map((r) => [r.direction === "worse" ? md`**${r.label}** ❗` : md`${r.label}`, md`${r.baseline}`, md`${r.candidate}`, md`${r.delta}`, md`${r.interval}`])),
    "", "Intervals are 95% paired-bootstrap intervals over conversations."]);
  out.push(["### Gate", "", ...table(["check", "value", "limit", "result"],
    viewGate(report).checks.map((c) => [md`${c.label}`, md`${c.value}`, md`${c.limit}`, ICON[c.status]]))]);
  if (rec.rules.length > 0) {
    out.push(["### Why this migration", "", ...table(["rule", "risk", "strategy", "evidence"], rec.rules.map((r) => [
      md`${r.change}`, r.risk, strategyLabel(r.strategy),
      r.evidence.slice(0, MAX_EVIDENCE).map((e) => md`${truncate(e, MAX_TEXT)}`).join("<br>") + (r.evidence.length > MAX_EVIDENCE ? ` (+${r.evidence.length - MAX_EVIDENCE} more)` : ""),
    ]))]);
  }
  if (report.flags.length > 0) out.push(["### Flags", "", ...report.flags.map((f) => md`- ${truncate(f.message, 400)}`)]);
  const snippets = Object.entries(rec.snippets).filter((e): e is [string, string] => Boolean(e[1]));
  if (snippets.length > 0) out.push(["### Suggested config", "", ...snippets.flatMap(([name, text]) => [`${name}:`, "", markdownFence(text, "yaml").text, ""])]);
  out.push(["### Predicate vocabulary", "",
    `Jaccard over the top ${vocabulary.top_k}: **${formatNumber(vocabulary.jaccard)}** (${vocabulary.band ?? "n/a"})`, "",
    `- lost (only baseline): ${list(vocabulary.only_baseline, MAX_PREDICATES)}`,
    `- added (only candidate): ${list(vocabulary.only_candidate, MAX_PREDICATES)}`,
    `- renamed: ${vocabulary.renames.length === 0 ? "none" : vocabulary.renames.slice(0, MAX_PREDICATES).map((r) => `${code(r.from)} → ${code(r.to)} (${r.count})`).join(", ")}`]);
  const a = report.metrics.baseline.confidence.histogram;
  const b = report.metrics.candidate.confidence.histogram;
  out.push(["### Confidence histogram", "", ...table(["bucket", "baseline", "candidate"], a.map((bucket, i) => [
    `${bucket.from}–${bucket.to}`, `${bucket.count} (${formatRate(bucket.share, 0)})`, `${b[i]?.count ?? 0} (${formatRate(b[i]?.share ?? null, 0)})`,
  ]))]);
  const types = [...new Set([...Object.keys(report.types.baseline), ...Object.keys(report.types.candidate)])].slice(0, 30);
  const moved = report.types.moved.slice(0, 20).map((m) => md`${m.from} → ${m.to} (${m.count})`).join(", ");
  out.push(["### Types", "", ...table(["type", "baseline", "candidate"], types.map((t) => [md`${t}`, String(report.types.baseline[t] ?? 0), String(report.types.candidate[t] ?? 0)])),
    ...(moved ? ["", `Moved: ${moved}`] : [])]);
  const changes = rankConversationChanges(report).filter((c) => c.failed || c.coveredDelta !== 0 || c.candidatesDelta !== 0).slice(0, MAX_CONVERSATIONS);
  if (changes.length > 0) {
    out.push([`<details><summary>Conversations that changed most (top ${changes.length})</summary>`, "",
      ...table(["conversation", "golden covered", "candidates", "error"], changes.map((c) => [code(c.result.conversation_id).text,
        `${c.result.baseline.covered} → ${c.result.candidate.covered} (${formatSigned(c.coveredDelta, 0)})`,
        `${c.result.baseline.candidates} → ${c.result.candidate.candidates} (${formatSigned(c.candidatesDelta, 0)})`,
        md`${truncate(c.result.candidate.error ?? c.result.baseline.error ?? "", MAX_TEXT)}`])), "", "</details>"]);
  }
  const lost = report.missed.filter((m) => m.role === "candidate" && m.covered_by_other);
  if (lost.length > 0) {
    out.push([`<details><summary>Golden memories the candidate lost (${lost.length})</summary>`, "",
      ...lost.slice(0, MAX_MISSED).map((m) => `- ${code(m.golden_id)} ${md`${truncate(m.text, 160)}`}` +
        (m.evidence[0] ? ` — ${md`${m.evidence[0].speaker}: “${truncate(m.evidence[0].text, 160)}”`}` : "")),
      ...(lost.length > MAX_MISSED ? [`- … ${lost.length - MAX_MISSED} more in report.html`] : []), "", "</details>"]);
  }
  const junk = report.junk_examples.filter((j) => j.role === "candidate");
  if (junk.length > 0) {
    out.push([`<details><summary>Candidate junk examples (${junk.length})</summary>`, "",
      ...junk.slice(0, MAX_JUNK).map((j) => md`- ${truncate(j.text, 160)} — ${j.category ?? "other"}: ${truncate(j.reason, 160)}`), "", "</details>"]);
  }
  if (report.errors.length > 0) {
    out.push([`### Errors (${report.errors.length})`, "",
      ...report.errors.slice(0, MAX_ERRORS).map((e) => `- ${e.role} ${code(e.conversation_id)} ${e.stage} ${md`${e.kind}: ${truncate(e.message, MAX_TEXT)}`}`),
      ...(report.errors.length > MAX_ERRORS ? [`- … ${report.errors.length - MAX_ERRORS} more in report.json`] : [])]);
  }
  return out;
}

/**
 * A PR-comment-sized summary: verdict, gate and failing checks first, then the numbers behind them.
 * Sections that would push it past MARKDOWN_LIMIT are left out, and it says so.
 */
export function renderMarkdown(report: BenchReport): string {
  const footer = md`<sub>run ${report.run.run_id} · extractor-bench ${report.run.tool_version} · seed ${report.run.seed} · full report: report.html</sub>`;
  const omittedNote = "_Some sections were left out to keep this comment short; report.html has everything._";
  let text = head(report).join("\n");
  let omitted = 0;
  for (const block of sections(report)) {
    const next = `\n\n${block.join("\n")}`;
    if (text.length + next.length + footer.length + omittedNote.length + 8 > MARKDOWN_LIMIT) omitted++;
    else text += next;
  }
  if (omitted > 0) text += `\n\n${omittedNote}`;
  return `${text}\n\n${footer}\n`;
}
