import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport, Gate, GateCheck } from "../schema/report.js";
import { formatInterval, formatNumber, formatPoints, formatRate, formatRelative, formatSignedNumber } from "../text/format-number.js";
import { modelSummaryLines, noiseNote } from "./render-models.js";
import { reextractionSummaryLine } from "./render-reextraction.js";
import { PLAIN, type SummaryStyle } from "./style.js";
import { terminal as t } from "./terminal.js";

export { PLAIN, type SummaryStyle } from "./style.js";

const SNIPPET_LABEL: Record<string, string> = {
  rollout: "progressive rollout block",
  normalization: "predicate_normalization mappings",
  scaling: "confidence_scaling factor",
};


const STATUS_LABEL: Record<GateCheck["status"], string> = { passed: "ok  ", failed: "FAIL", not_measured: "n/m " };

/** The gate as terminal lines: the outcome, then every check that did not pass (or all with `all`). */
export function renderGateLines(gate: Gate, all = false, style: SummaryStyle = PLAIN): string[] {
  const notPassed = gate.checks.filter((c) => c.status !== "passed");
  const unmeasured = gate.checks.filter((c) => c.status === "not_measured").length;
  const head = gate.passed
    ? style.good(`Gate: PASSED (${gate.checks.length} checks${unmeasured > 0 ? `, ${unmeasured} not measured and let through by on_unmeasured: pass` : ""})`)
    : style.bad(`Gate: FAILED (${notPassed.length} of ${gate.checks.length} checks failed or not measured)`);
  const mark = (c: GateCheck) => (c.status === "passed" ? style.good : c.status === "failed" ? style.bad : style.warn)(STATUS_LABEL[c.status]);
  const shown = all ? gate.checks : notPassed;
  return [head, ...shown.map((c) => `  ${mark(c)} ${t`${c.id}: ${c.detail}`}`)];
}

/**
 * The few lines a terminal shows at the end of a run: verdict, gate, key deltas. Every value from a
 * config, dataset, extractor or judge goes through the terminal escaper, so none can add or rewrite a line.
 */
export function renderSummary(report: BenchReport, style: SummaryStyle = PLAIN): string {
  const { recommendation: rec, gate, metrics, vocabulary, run, completeness } = report;
  const { baseline: a, candidate: b, delta: d } = metrics;
  const lines: string[] = [];
  lines.push(
    t`extractor-bench: ${run.configs.baseline.name} → ${run.configs.candidate.name} over ${run.dataset.conversations} conversations ` +
      t`(${completeness.paired_conversations} paired), ${run.golden.memories} golden memories ` +
      t`(${report.judge.kind === "heuristic" ? "heuristic judge, not an LLM" : report.judge.id})`,
  );
  if (!completeness.complete) {
    lines.push(style.warn(`warning: the run did not finish (${completeness.missing_dry_runs} dry runs missing); the numbers cover only the logged work`));
  }
  lines.push("", style.strong(`Verdict: ${strategyLabel(rec.strategy).toUpperCase()}${rec.risk === "unknown" ? "" : ` (${rec.risk} risk)`}`) + t`: ${rec.summary.replace(/^[^:]*: /, "")}`);
  for (const reason of rec.insufficient) lines.push(style.warn(t`  insufficient data: ${reason}`));
  for (const rule of rec.rules) {
    lines.push(t`  - ${rule.change} [${rule.risk} → ${strategyLabel(rule.strategy)}]`);
    for (const evidence of rule.evidence) lines.push(t`      ${evidence}`);
  }
  for (const warning of rec.warnings) lines.push(style.warn(t`  warning: ${warning}`));
  const snippets = Object.entries(rec.snippets).filter(([, text]) => text).map(([name]) => SNIPPET_LABEL[name] ?? name);
  if (snippets.length > 0) lines.push(`  suggested config in report.html and report.md: ${snippets.join(", ")}`);

  lines.push("", ...renderGateLines(gate, false, style));

  const mc = report.mcnemar;
  const noise = (metric: "precision" | "recall") => {
    const note = noiseNote(report.judge_noise, metric);
    return note ? `; ${note}` : "";
  };
  lines.push(
    "",
    `Key deltas (candidate − baseline over ${completeness.paired_conversations} paired conversations, 95% intervals):`,
    `  precision ${formatRate(a.precision.value)} → ${formatRate(b.precision.value)} (${formatPoints(d.precision.value)} ${formatInterval(d.precision.ci, "pp")}${noise("precision")})`,
    `  recall    ${formatRate(a.recall.value)} → ${formatRate(b.recall.value)} (${formatPoints(d.recall.value)} ${formatInterval(d.recall.ci, "pp")}${noise("recall")}); ` +
      `McNemar p ${formatNumber(mc.p_value)} (${mc.baseline_only} covered by baseline only, ${mc.candidate_only} by candidate only)`,
    `  junk      ${formatRate(a.junk.rate)} → ${formatRate(b.junk.rate)} (${formatPoints(d.junk.value)} ${formatInterval(d.junk.ci, "pp")}) on ${b.junk.conversations} conversations`,
    `  extractions per turn ${formatNumber(a.extraction.per_turn)} → ${formatNumber(b.extraction.per_turn)} (${formatRelative(d.extraction_per_turn.value)} ${formatInterval(d.extraction_per_turn.ci, "relative")})`,
    `  confidence ≥ 0.7 ${formatRate(a.confidence.high_share)} → ${formatRate(b.confidence.high_share)} (${formatPoints(d.confidence_high_share)}); ` +
      `mean ${formatNumber(a.confidence.mean, 2)} → ${formatNumber(b.confidence.mean, 2)} (${formatSignedNumber(d.confidence_mean, 2)}); ` +
      `ECE ${formatNumber(report.calibration.baseline.ece)} → ${formatNumber(report.calibration.candidate.ece)}`,
    `  entity-resolution fail rate ${formatRate(report.entities.baseline.fail_rate)} → ${formatRate(report.entities.candidate.fail_rate)} (${formatPoints(report.entities.fail_rate_delta)})`,
    `  field agreement, exact F1: ${(["subject", "predicate", "object", "type"] as const)
      .map((f) => `${f} ${formatNumber(report.fields.baseline.fields[f].exact.f1, 2)} → ${formatNumber(report.fields.candidate.fields[f].exact.f1, 2)}`)
      .join(", ")}`,
    `  predicate Jaccard ${formatNumber(vocabulary.jaccard)} (${vocabulary.band ?? "n/a"})`,
  );
  lines.push(...modelSummaryLines(report));
  if (report.reextraction) lines.push("", reextractionSummaryLine(report.reextraction));
  const failed = (["baseline", "candidate"] as const).filter((role) => completeness[role].failed > 0);
  if (failed.length > 0) {
    lines.push(
      "",
      style.warn(t`Failed dry runs: ${failed
        .map((role) => `${role} ${completeness[role].failed} of ${completeness[role].attempted} (${Object.entries(completeness[role].failed_by_kind).map(([k, n]) => `${k} ${n}`).join(", ")})`)
        .join("; ")}`),
    );
  }
  if (report.flags.length > 0) lines.push("", "Flags:", ...report.flags.map((f) => t`  - ${f.message}`));
  if (report.errors.length > 0) {
    const first = report.errors[0]!;
    lines.push("", style.warn(t`Errors: ${report.errors.length} unit(s) failed; the first (${first.role} ${first.conversation_id}, ${first.kind}): ${first.message}. All of them are in report.html`));
  }
  return lines.join("\n");
}
