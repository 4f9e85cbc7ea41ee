import { strategyLabel } from "../recommend/recommend.js";
import type { BenchReport } from "../schema/report.js";
import { formatInterval, formatNumber, formatSigned } from "./format.js";
import { modelSummaryLines, noiseNote } from "./render-models.js";

const SNIPPET_LABEL: Record<string, string> = {
  rollout: "progressive rollout block",
  normalization: "predicate_normalization mappings",
  scaling: "confidence_scaling factor",
};

/** The few lines a terminal shows at the end of a run: verdict, gate, key deltas. Plain text. */
export function renderSummary(report: BenchReport): string {
  const { recommendation: rec, gate, metrics, vocabulary, run } = report;
  const lines: string[] = [];
  lines.push(
    `extractor-bench: ${run.configs.baseline.name} → ${run.configs.candidate.name} over ${run.dataset.conversations} conversations, ` +
      `${run.golden.memories} golden memories (${report.judge.kind === "heuristic" ? "heuristic judge, not an LLM" : report.judge.id})`,
  );
  if (!run.complete) lines.push("warning: the run did not finish; the numbers cover only the logged work");
  lines.push("", `Verdict: ${strategyLabel(rec.strategy).toUpperCase()} (${rec.risk} risk): ${rec.summary.replace(/^[^:]*: /, "")}`);
  for (const rule of rec.rules) {
    lines.push(`  - ${rule.change} [${rule.risk} → ${strategyLabel(rule.strategy)}]`);
    for (const evidence of rule.evidence) lines.push(`      ${evidence}`);
  }
  for (const warning of rec.warnings) lines.push(`  warning: ${warning}`);
  const snippets = Object.entries(rec.snippets).filter(([, text]) => text).map(([name]) => SNIPPET_LABEL[name] ?? name);
  if (snippets.length > 0) lines.push(`  suggested config in report.md: ${snippets.join(", ")}`);
  const failed = gate.checks.filter((c) => !c.passed);
  lines.push(
    "",
    gate.passed
      ? `Gate: PASSED (${gate.checks.length} checks)`
      : `Gate: FAILED: ${failed.map((c) => `${c.id} (${c.detail}; limit ${c.limit})`).join(", ")}`,
  );
  const d = metrics.delta;
  const noise = (metric: "precision" | "recall") => {
    const note = noiseNote(report.judge_noise, metric);
    return note ? `; ${note}` : "";
  };
  lines.push(
    "",
    "Key deltas (candidate − baseline):",
    `  precision ${formatNumber(metrics.baseline.precision.value)} → ${formatNumber(metrics.candidate.precision.value)} (${formatSigned(d.precision.value)} ${formatInterval(d.precision.ci)}${noise("precision")})`,
    `  recall    ${formatNumber(metrics.baseline.recall.value)} → ${formatNumber(metrics.candidate.recall.value)} (${formatSigned(d.recall.value)} ${formatInterval(d.recall.ci)}${noise("recall")})`,
    `  extractions per turn ${formatSigned(d.extraction_per_turn_pct, 1, "%")}, junk ${formatSigned(d.junk_pp, 1, " pp")}, ` +
      `confidence ≥ 0.7 ${formatSigned(d.confidence_high_share_pp, 1, " pp")}`,
    `  predicate Jaccard ${formatNumber(vocabulary.jaccard)} (${vocabulary.band ?? "n/a"})`,
  );
  lines.push(...modelSummaryLines(report));
  if (report.flags.length > 0) lines.push("", "Flags:", ...report.flags.map((f) => `  - ${f.message}`));
  if (report.errors.length > 0) lines.push("", `Errors: ${report.errors.length} unit(s) failed; see report.json`);
  return lines.join("\n");
}
