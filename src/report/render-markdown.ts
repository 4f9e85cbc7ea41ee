import { jaccardBandLabel } from "../metrics/band-label.js";
import { strategyLabel } from "../recommend/strategy-label.js";
import type { Agreement, BenchReport, GateCheck } from "../schema/report.js";
import { FIELD_NAMES, MATCH_MODES } from "../schema/constants.js";
import { formatCount, formatNumber, formatRate, formatSignedNumber } from "../text/format-number.js";
import { rankConversationChanges } from "./conversation-changes.js";
import { truncate } from "./format.js";
import { SNIPPET_DESTINATION } from "../recommend/snippets.js";
import {
  GATE_RULE,
  letThrough,
  STATUS_WORD,
  statusCounts,
  strategyText,
  viewGate,
  type CheckView,
} from "./gate-view.js";
import { calibrationCaveat, entityResolutionText, unmeasuredFields } from "./measured-text.js";
import { markdownCode as code, markdownFence, markdownTable as table, md } from "./markdown.js";
import { metricRows } from "./metric-rows.js";
import { modelMarkdownSections } from "./render-models.js";
import { reextractionMarkdown } from "./render-reextraction.js";
import { retrievalMarkdown } from "./render-retrieval.js";
import { judgeCallsModel } from "../judge/judge-table.js";

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
const MAX_DISAGREEMENTS = 10;

const ICON: Record<GateCheck["status"], string> = { passed: "✅", failed: "❌", inconclusive: "❔", not_measured: "⚠️" };
const STATUS_MARK = Object.fromEntries(
  Object.entries(ICON).map(([status, icon]) => [status, `${icon} ${STATUS_WORD[status as GateCheck["status"]]}`]),
) as Record<GateCheck["status"], string>;

function list(values: string[], max: number): string {
  if (values.length === 0) return "none";
  const shown = values
    .slice(0, max)
    .map((v) => code(v).text)
    .join(", ");
  return values.length > max ? `${shown}, … (${values.length - max} more)` : shown;
}

function checkLine(c: CheckView): string {
  return `- ${ICON[c.status]} ${md`${truncate(c.sentence, 400)}`}`;
}

/**
 * The migration strategy and why. Insufficient data's reasons are given once: in the headline when
 * the gate passed (its headline says them), here otherwise.
 */
function migrationLine(report: BenchReport, gatePassed: boolean): string {
  const { recommendation: rec } = report;
  const label = md`Migration: **${strategyLabel(rec.strategy)}**${rec.risk === "unknown" ? "" : ` (${rec.risk} risk)`}`;
  const why =
    rec.insufficient.length === 0
      ? rec.summary.replace(/^[^:]*: /, "")
      : gatePassed
        ? undefined
        : rec.insufficient.join("; ");
  return why === undefined ? `${label} (why: above)` : `${label}: ${md`${truncate(why, MAX_TEXT)}`}`;
}

/** Verdict, gate and the checks that need attention: always first, always present. */
function head(report: BenchReport): string[] {
  const { recommendation: rec, run, completeness } = report;
  const gate = viewGate(report);
  const blocking = gate.checks.filter((c) => c.blocking).length;
  const through = letThrough(gate.checks);
  const lines = [
    `## extractor-bench: ${gate.passed ? "✅ gate passed" : "❌ gate failed"} · ${strategyText(report)}`,
    "",
    gate.passed && gate.insufficient
      ? md`**Gate passed, but too little was measured** to trust it: ${truncate(rec.insufficient.join("; "), 400)}.`
      : gate.passed
        ? `**OK to merge**: no regression is established (${statusCounts(gate.checks)}${through ? `; ${through.replace(/(on_\w+: \w+)/g, "`$1`")}` : ""}).`
        : `**Do not merge**: ${blocking} of ${gate.checks.length} gate checks block it (${statusCounts(gate.checks)}).`,
  ];
  if (gate.attention.length > 0) lines.push("", ...gate.attention.map(checkLine));
  lines.push(
    "",
    migrationLine(report, gate.passed),
    "",
    `baseline ${code(truncate(run.configs.baseline.name, MAX_NAME))} → candidate ${code(truncate(run.configs.candidate.name, MAX_NAME))} · ` +
      md`${run.dataset.conversations} conversations (${completeness.paired_conversations} paired), ${run.golden.memories} golden memories · judge: ${truncate(report.judge.description, MAX_TEXT)}`,
  );
  if (!completeness.complete)
    lines.push(
      "",
      `> ⚠️ The run did not finish (${completeness.missing_dry_runs} dry runs missing): these numbers cover only the work in the run log.`,
    );
  for (const warning of rec.warnings.slice(0, MAX_WARNINGS)) lines.push("", md`> ⚠️ ${truncate(warning, MAX_TEXT)}`);
  return lines;
}

function agreementLines(agreement: Agreement, judge: BenchReport["judge"]): string[] {
  const lines = ["### Judge vs human labels", ""];
  lines.push(
    `${agreement.matched} of ${agreement.labels} labels matched a candidate of this run (by conversation and text).${judgeCallsModel(judge.kind) ? "" : " The judge is not an LLM."}`,
    "",
  );
  const measures = [
    ["usefulness (useful or not)", agreement.usefulness],
    ["junk", agreement.junk],
  ] as const;
  lines.push(
    ...table(
      ["judgement", "pairs", "accuracy", "Cohen's κ"],
      measures.map(([name, m]) => [name, formatCount(m.pairs), formatRate(m.accuracy), formatNumber(m.kappa, 2)]),
    ),
  );
  for (const [name, m] of measures) {
    if (m.disagreements_total === 0) continue;
    lines.push("", `<details><summary>${name}: ${m.disagreements_total} disagreements</summary>`, "");
    for (const d of m.disagreements.slice(0, MAX_DISAGREEMENTS)) {
      lines.push(
        `- ${d.role} ${code(truncate(d.conversation_id, MAX_NAME))} ${md`${truncate(d.text, 120)} — judge: ${truncate(d.judge, MAX_NAME)}; human: ${truncate(d.human, MAX_NAME)}`}`,
      );
    }
    if (m.disagreements_total > MAX_DISAGREEMENTS)
      lines.push(`- … ${m.disagreements_total - MAX_DISAGREEMENTS} more in report.json`);
    lines.push("", "</details>");
  }
  return lines;
}

function sections(report: BenchReport): string[][] {
  const { recommendation: rec, vocabulary, completeness, run } = report;
  const out: string[][] = [];
  const gate = viewGate(report);
  out.push([
    "### Gate",
    "",
    ...table(
      ["check", "measured", "limit", "result"],
      gate.checks.map((c) => [
        md`${c.label}`,
        md`${truncate(c.value, MAX_TEXT)}`,
        md`${c.limit}`,
        c.status === "passed" || !c.outcome
          ? STATUS_MARK[c.status]
          : md`${STATUS_MARK[c.status]}: ${truncate(c.outcome.replace(/^inconclusive, /, ""), MAX_TEXT)}`,
      ]),
    ),
    "",
    md`Rule: ${GATE_RULE}`,
    ...(report.gate.thresholds.on_unmeasured === "pass"
      ? ["", "Checks that could not be measured are let through (`on_unmeasured: pass`)."]
      : []),
    ...(report.gate.thresholds.on_inconclusive === "fail"
      ? ["", "Inconclusive checks fail the gate (`on_inconclusive: fail`)."]
      : []),
  ]);
  const mc = report.mcnemar;
  out.push([
    "### Metrics",
    "",
    ...table(
      ["metric", "baseline", "candidate", "candidate − baseline", "95% interval"],
      metricRows(report).map((r) => [
        r.direction === "worse" ? md`**${r.label}** ❗` : md`${r.label}`,
        md`${r.baseline}`,
        md`${r.candidate}`,
        md`${r.delta}`,
        md`${r.interval}`,
      ]),
    ),
    "",
    `Over the ${completeness.paired_conversations} conversations where both configs produced a result; brackets are 95% paired-bootstrap intervals ` +
      `(${run.bootstrap_resamples} resamples over conversations). Junk on ${report.metrics.candidate.junk.conversations} conversations judged on both sides.`,
    "",
    `McNemar's exact test on golden memories covered by one config only: ${mc.baseline_only} by the baseline only, ${mc.candidate_only} by the candidate only, p = ${formatNumber(mc.p_value)}.`,
    ...(report.metrics.delta.precision.corrected ||
    report.metrics.delta.recall.corrected ||
    report.metrics.delta.junk.corrected
      ? [
          "",
          "Levels in parentheses and the corrected changes are corrected for the judge's flip rate (see Judge noise); the gate reads the corrected changes.",
        ]
      : []),
  ]);
  if (rec.rules.length > 0) {
    out.push([
      "### Why this migration",
      "",
      ...table(
        ["rule", "risk", "strategy", "evidence"],
        rec.rules.map((r) => [
          md`${r.change}`,
          r.risk,
          strategyLabel(r.strategy),
          r.evidence
            .slice(0, MAX_EVIDENCE)
            .map((e) => md`${truncate(e, MAX_TEXT)}`)
            .join("<br>") + (r.evidence.length > MAX_EVIDENCE ? ` (+${r.evidence.length - MAX_EVIDENCE} more)` : ""),
        ]),
      ),
      ...(rec.config_diff.kinds.length > 0
        ? ["", `Changed: ${rec.config_diff.kinds.map((k) => code(k).text).join(", ")}`]
        : []),
      ...(rec.not_measured ?? []).map((note) => md`\n> ⚠️ Not measured: ${truncate(note, 400)}`),
    ]);
  } else if ((rec.not_measured ?? []).length > 0) {
    out.push([
      "### Why this migration",
      "",
      ...(rec.not_measured ?? []).map((note) => md`> ⚠️ Not measured: ${truncate(note, 400)}`),
    ]);
  }
  if (report.retrieval) out.push(retrievalMarkdown(report));
  if (report.flags.length > 0)
    out.push(["### Flags", "", ...report.flags.slice(0, 20).map((f) => md`- ${truncate(f.message, 400)}`)]);
  const snippets = Object.entries(rec.snippets).filter((e): e is [string, string] => Boolean(e[1]));
  if (snippets.length > 0) {
    out.push([
      "### Suggested config",
      "",
      ...snippets.flatMap(([name, text]) => [
        `${name}: ${SNIPPET_DESTINATION[name as keyof typeof SNIPPET_DESTINATION] ?? ""}`,
        "",
        markdownFence(text, "yaml").text,
        "",
      ]),
    ]);
  }
  const counted = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([k, n]) => md`${k} ${n}`)
      .join(", ") || "none";
  out.push([
    "### Completeness",
    "",
    ...table(
      ["", "dry runs", "failed", "failed by kind", "judge errors", "answers repaired", "dropped from answers"],
      (["baseline", "candidate"] as const).map((role) => {
        const side = completeness[role];
        const operating = report.metrics[role].operating;
        return [
          role,
          formatCount(side.attempted),
          `${side.failed} (${formatRate(side.failed_rate)})`,
          counted(side.failed_by_kind),
          counted(side.judge_errors),
          counted(operating.repairs),
          counted(operating.dropped),
        ];
      }),
    ),
  ]);
  out.push(...modelMarkdownSections(report));
  if (report.reextraction) out.push(reextractionMarkdown(report.reextraction));
  out.push([
    "### Predicate vocabulary",
    "",
    `Jaccard over the top ${vocabulary.top_k}: **${formatNumber(vocabulary.jaccard)}** (${jaccardBandLabel(vocabulary.band)})`,
    "",
    `- lost (only baseline): ${list(vocabulary.only_baseline, MAX_PREDICATES)}`,
    `- added (only candidate): ${list(vocabulary.only_candidate, MAX_PREDICATES)}`,
    `- suggested mappings: ${
      vocabulary.suggestions.length === 0
        ? "none"
        : vocabulary.suggestions
            .slice(0, MAX_PREDICATES)
            .map((s) => `${code(s.from)} → ${code(s.to)} (${s.reason}, ${s.reconciles})`)
            .join(", ")
    }`,
  ]);
  const a = report.metrics.baseline.confidence.histogram;
  const b = report.metrics.candidate.confidence.histogram;
  const cal = report.calibration;
  out.push([
    "### Confidence and calibration",
    "",
    ...table(
      ["bucket", "baseline", "candidate"],
      a.map((bucket, i) => [
        `${bucket.from}–${bucket.to}`,
        `${bucket.count} (${formatRate(bucket.share, 0)})`,
        `${b[i]?.count ?? 0} (${formatRate(b[i]?.share ?? null, 0)})`,
      ]),
    ),
    "",
    ...table(
      ["", "judged", "ECE", "Brier"],
      (["baseline", "candidate"] as const).map((role) => [
        role,
        `${cal[role].judged}${cal[role].indicative_only ? " (indicative only)" : ""}`,
        formatNumber(cal[role].ece),
        formatNumber(cal[role].brier),
      ]),
    ),
    ...(calibrationCaveat(report) ? ["", md`⚠️ ECE and Brier are ${calibrationCaveat(report)}.`] : []),
    ...(cal.scaling
      ? [
          "",
          md`Suggested confidence_scaling.factor: **${cal.scaling.factor}** (${cal.scaling.method}; it does not use the judge).`,
        ]
      : []),
  ]);
  const types = [...new Set([...Object.keys(report.types.baseline), ...Object.keys(report.types.candidate)])].slice(
    0,
    30,
  );
  const moved = report.types.moved_by_type.filter((t) => t.moved > 0).slice(0, 20);
  out.push([
    "### Types",
    "",
    ...table(
      ["type", "baseline", "candidate"],
      types.map((t) => [md`${t}`, String(report.types.baseline[t] ?? 0), String(report.types.candidate[t] ?? 0)]),
    ),
    ...(moved.length > 0
      ? [
          "",
          `Moved (paired facts): ${moved
            .map(
              (t) =>
                md`${t.type} ${t.moved}/${t.pairs} (${formatRate(t.share, 0)}) ${t.to
                  .slice(0, 5)
                  .map((m) => `→ ${m.type} ${m.count}`)
                  .join(", ")}`,
            )
            .join("; ")}`,
        ]
      : []),
  ]);
  const missingFields = unmeasuredFields(report);
  out.push([
    "### Field-level agreement with the golden set",
    "",
    ...table(
      ["field", ...MATCH_MODES.map((m) => `${m} F1 (baseline → candidate)`)],
      FIELD_NAMES.map((field) => [
        field,
        ...MATCH_MODES.map((mode) =>
          missingFields?.fields.includes(field)
            ? "not measured"
            : `${formatNumber(report.fields.baseline.fields[field][mode].f1, 2)} → ${formatNumber(report.fields.candidate.fields[field][mode].f1, 2)} (${formatSignedNumber(report.fields.delta[field][mode], 2)})`,
        ),
      ]),
    ),
    "",
    `Optimal one-to-one alignment of candidates to golden memories: ${report.fields.baseline.aligned} baseline and ${report.fields.candidate.aligned} candidate pairs.`,
    ...(missingFields ? ["", md`Not measured: ${missingFields.fields.join(", ")} (${missingFields.reason}).`] : []),
  ]);
  out.push([
    "### Entity resolution",
    "",
    ...(report.entities.not_measured
      ? [md`Not measured: ${report.entities.not_measured}.`]
      : [
          ...table(
            ["", "mentions", "unresolved (fallback)", "fail rate", "most frequent unresolved"],
            (["baseline", "candidate"] as const).map((role) => {
              const e = report.entities[role];
              return [
                role,
                formatCount(e.mentions),
                formatCount(e.fallback),
                formatRate(e.fail_rate),
                e.top_unresolved
                  .slice(0, 5)
                  .map((u) => `${code(truncate(u.mention, MAX_NAME)).text} ${u.count}`)
                  .join(", ") || "none",
              ];
            }),
          ),
          "",
          md`Change: ${entityResolutionText(report)}.`,
        ]),
  ]);
  if (report.agreement) out.push(agreementLines(report.agreement, report.judge));
  const changes = rankConversationChanges(report)
    .filter((c) => c.failed || c.coveredDelta !== 0 || c.candidatesDelta !== 0)
    .slice(0, MAX_CONVERSATIONS);
  if (changes.length > 0) {
    out.push([
      `<details><summary>Conversations that changed most (top ${changes.length})</summary>`,
      "",
      ...table(
        ["conversation", "golden covered", "candidates", "error"],
        changes.map((c) => [
          code(truncate(c.result.conversation_id, MAX_NAME)).text,
          `${c.result.baseline.covered} → ${c.result.candidate.covered} (${formatSignedNumber(c.coveredDelta, 0)})`,
          `${c.result.baseline.candidates} → ${c.result.candidate.candidates} (${formatSignedNumber(c.candidatesDelta, 0)})`,
          md`${truncate(c.result.candidate.error ?? c.result.baseline.error ?? "", MAX_TEXT)}`,
        ]),
      ),
      "",
      "</details>",
    ]);
  }
  const lost = report.missed.filter((m) => m.role === "candidate" && m.covered_by_other);
  if (lost.length > 0) {
    out.push([
      `<details><summary>Golden memories the candidate lost (${lost.length})</summary>`,
      "",
      ...lost
        .slice(0, MAX_MISSED)
        .map(
          (m) =>
            `- ${code(truncate(m.golden_id, MAX_NAME))} ${md`${truncate(m.text, 160)}`}` +
            (m.evidence[0]
              ? ` — ${md`${truncate(m.evidence[0].speaker, MAX_NAME)}: “${truncate(m.evidence[0].text, 160)}”`}`
              : ""),
        ),
      ...(lost.length > MAX_MISSED ? [`- … ${lost.length - MAX_MISSED} more in report.html`] : []),
      "",
      "</details>",
    ]);
  }
  const junk = report.junk_examples.filter((j) => j.role === "candidate");
  if (junk.length > 0) {
    out.push([
      `<details><summary>Candidate junk examples (${junk.length})</summary>`,
      "",
      ...junk
        .slice(0, MAX_JUNK)
        .map((j) => md`- ${truncate(j.text, 160)} — ${j.category ?? "other"}: ${truncate(j.reason, 160)}`),
      "",
      "</details>",
    ]);
  }
  if (report.errors.length > 0) {
    out.push([
      `### Errors (${report.errors.length})`,
      "",
      ...report.errors
        .slice(0, MAX_ERRORS)
        .map(
          (e) =>
            `- ${e.role} ${code(truncate(e.conversation_id, MAX_NAME))} ${e.stage} ${md`${e.kind}: ${truncate(e.message, MAX_TEXT)}`}`,
        ),
      ...(report.errors.length > MAX_ERRORS ? [`- … ${report.errors.length - MAX_ERRORS} more in report.json`] : []),
    ]);
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
