import { strategyLabel } from "../recommend/recommend.js";
import type { BenchReport } from "../schema/report.js";
import { formatNumber } from "./format.js";
import { viewGate } from "./gate-view.js";
import { metricRows } from "./metric-rows.js";
import { terminal as t } from "./terminal.js";

const SNIPPET_LABEL: Record<string, string> = {
  rollout: "progressive rollout block",
  normalization: "predicate_normalization mappings",
  scaling: "confidence_scaling factor",
};

/** How the summary marks good, bad and headline text; plain (no colour) unless the caller passes colours. */
export interface SummaryStyle {
  good: (text: string) => string;
  bad: (text: string) => string;
  warn: (text: string) => string;
  strong: (text: string) => string;
}

const identity = (text: string) => text;
export const PLAIN: SummaryStyle = { good: identity, bad: identity, warn: identity, strong: identity };

/**
 * The few lines a terminal shows at the end of a run: verdict, gate, key deltas. Every value from a
 * config, dataset or judge goes through the terminal escaper, so none can add or rewrite a line.
 */
export function renderSummary(report: BenchReport, style: SummaryStyle = PLAIN): string {
  const { recommendation: rec, vocabulary, run } = report;
  const gate = viewGate(report);
  const lines: string[] = [];
  lines.push(
    t`extractor-bench: ${run.configs.baseline.name} → ${run.configs.candidate.name} over ${run.dataset.conversations} conversations, ` +
      t`${run.golden.memories} golden memories (${report.judge.kind === "heuristic" ? "heuristic judge, not an LLM" : report.judge.id})`,
  );
  if (!run.complete) lines.push(style.warn("warning: the run did not finish; the numbers cover only the logged work"));
  lines.push("", style.strong(t`Verdict: ${strategyLabel(rec.strategy).toUpperCase()} (${rec.risk} risk)`) + t`: ${rec.summary.replace(/^[^:]*: /, "")}`);
  for (const rule of rec.rules) {
    lines.push(t`  - ${rule.change} [${rule.risk} → ${strategyLabel(rule.strategy)}]`);
    for (const evidence of rule.evidence) lines.push(t`      ${evidence}`);
  }
  for (const warning of rec.warnings) lines.push(style.warn(t`  warning: ${warning}`));
  const snippets = Object.entries(rec.snippets).filter(([, text]) => text).map(([name]) => SNIPPET_LABEL[name] ?? name);
  if (snippets.length > 0) lines.push(`  suggested config in report.html and report.md: ${snippets.join(", ")}`);
  lines.push("", gate.passed ? style.good(`Gate: PASSED (${gate.checks.length} checks)`) : style.bad(`Gate: FAILED (${gate.checks.filter((c) => c.status === "failed").length} of ${gate.checks.length} checks)`));
  for (const check of gate.attention) {
    const mark = check.status === "failed" ? style.bad("  FAIL ") : style.warn("  N/M  ");
    lines.push(mark + t`${check.sentence}`);
  }
  const rows = new Map(metricRows(report).map((r) => [r.label, r]));
  const delta = (label: string) => {
    const row = rows.get(label)!;
    const text = t`${row.delta}${row.interval ? ` ${row.interval}` : ""}`;
    return row.direction === "worse" ? style.bad(text) : text;
  };
  const m = report.metrics;
  lines.push(
    "",
    "Key deltas (candidate − baseline):",
    `  precision ${formatNumber(m.baseline.precision.value)} → ${formatNumber(m.candidate.precision.value)} (${delta("precision")})`,
    `  recall    ${formatNumber(m.baseline.recall.value)} → ${formatNumber(m.candidate.recall.value)} (${delta("recall")})`,
    `  extractions per turn ${delta("extractions / turn")}, junk ${delta("junk rate (sample)")}, confidence ≥ 0.7 ${delta("confidence ≥ 0.7")}`,
    `  predicate Jaccard ${formatNumber(vocabulary.jaccard)} (${vocabulary.band ?? "n/a"})`,
  );
  if (report.flags.length > 0) lines.push("", "Flags:", ...report.flags.map((f) => t`  - ${f.message}`));
  if (report.errors.length > 0) lines.push("", style.warn(`Errors: ${report.errors.length} unit(s) failed; see report.html`));
  return lines.join("\n");
}
