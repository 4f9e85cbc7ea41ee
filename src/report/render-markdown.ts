import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport } from "../schema/report.js";
import { formatCount, formatNumber, formatRate } from "../text/format-number.js";
import { truncate } from "./format.js";
import { SNIPPET_DESTINATION } from "../recommend/snippet-destination.js";
import { markdownCode as code, markdownFence, markdownTable as table, md } from "./markdown.js";
import { detailSections } from "./markdown-details.js";
import { MAX_EVIDENCE, MAX_TEXT } from "./markdown-limits.js";
import { measureSections } from "./markdown-measures.js";
import { gateSection, verdictLines } from "./markdown-verdict.js";
import { metricRows } from "./metric-rows.js";
import { modelMarkdownSections } from "./render-models.js";
import { reextractionMarkdown } from "./render-reextraction.js";
import { retrievalMarkdown } from "./render-retrieval.js";

/** GitHub refuses comments over 65,536 characters; this leaves room for a wrapper the workflow adds. */
export const MARKDOWN_LIMIT = 60_000;

function sections(report: BenchReport): string[][] {
  const { recommendation: rec, completeness, run } = report;
  const out: string[][] = [];
  out.push(gateSection(report));
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
  out.push(...measureSections(report));
  out.push(...detailSections(report));
  return out;
}

/**
 * A PR-comment-sized summary: verdict, gate and failing checks first, then the numbers behind them.
 * Sections that would push it past MARKDOWN_LIMIT are left out, and it says so.
 */
export function renderMarkdown(report: BenchReport): string {
  const footer = md`<sub>run ${report.run.run_id} · extractor-bench ${report.run.tool_version} · seed ${report.run.seed} · full report: report.html</sub>`;
  const omittedNote = "_Some sections were left out to keep this comment short; report.html has everything._";
  let text = verdictLines(report).join("\n");
  let omitted = 0;
  for (const block of sections(report)) {
    const next = `\n\n${block.join("\n")}`;
    if (text.length + next.length + footer.length + omittedNote.length + 8 > MARKDOWN_LIMIT) omitted++;
    else text += next;
  }
  if (omitted > 0) text += `\n\n${omittedNote}`;
  return `${text}\n\n${footer}\n`;
}
