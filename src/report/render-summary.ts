import { jaccardBandLabel } from "../metrics/band-label.js";
import { reportMetrics, type MetricDefinition } from "../metrics/metric-table.js";
import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport, ConfigMetrics, Gate, GateCheck } from "../schema/report.js";
import { formatNumber } from "../text/format-number.js";
import { SNIPPET_DESTINATION } from "../recommend/snippet-destination.js";
import { letThrough, statusCounts, viewCheck } from "./gate-view.js";
import { calibrationCaveat, fieldAgreementText } from "./measured-text.js";
import { changeInterval, changeValue, levelShort } from "./metric-text.js";
import { correctedChangeText, judgeNoiseSentences, modelSummaryLines } from "./render-models.js";
import { reextractionSummaryLine } from "./render-reextraction.js";
import { retrievalSummaryLines } from "./render-retrieval.js";
import { PLAIN, type SummaryStyle } from "./style.js";
import { terminal as t } from "./terminal.js";
import { judgeName } from "../judge/judge-table.js";

export { PLAIN, type SummaryStyle } from "./style.js";

const SNIPPET_LABEL: Record<string, string> = {
  rollout: "progressive rollout block",
  normalization: "predicate_normalization mappings",
  scaling: "confidence_scaling factor",
};

const STATUS_LABEL: Record<GateCheck["status"], string> = {
  passed: "ok  ",
  failed: "FAIL",
  inconclusive: "INC ",
  not_measured: "n/m ",
};

/** The gate as terminal lines: the outcome, then every check that did not pass (or all with `all`). */
export function renderGateLines(gate: Gate, all = false, style: SummaryStyle = PLAIN): string[] {
  const views = gate.checks.map((c) => viewCheck(c, gate.thresholds));
  const blocking = views.filter((c) => c.blocking).length;
  const through = letThrough(views);
  const head = gate.passed
    ? style.good(`Gate: PASSED (${statusCounts(gate.checks)}${through ? `; ${through}` : ""})`)
    : style.bad(`Gate: FAILED (${blocking} of ${gate.checks.length} checks block it: ${statusCounts(gate.checks)})`);
  const mark = (c: GateCheck) =>
    (c.status === "passed" ? style.good : c.status === "failed" ? style.bad : style.warn)(STATUS_LABEL[c.status]);
  const shown = all ? gate.checks : gate.checks.filter((c) => c.status !== "passed");
  return [head, ...shown.map((c) => `  ${mark(c)} ${t`${c.id}: ${c.detail}`}`)];
}

/**
 * The few lines a terminal shows at the end of a run: verdict, gate, key deltas. Every value from a
 * config, dataset, extractor or judge goes through the terminal escaper, so none can add or rewrite a line.
 */
export function renderSummary(report: BenchReport, style: SummaryStyle = PLAIN): string {
  const { recommendation: rec, gate, vocabulary, run, completeness } = report;
  const lines: string[] = [];
  lines.push(
    t`extractor-bench: ${run.configs.baseline.name} → ${run.configs.candidate.name} over ${run.dataset.conversations} conversations ` +
      t`(${completeness.paired_conversations} paired), ${run.golden.memories} golden memories ` +
      t`(${judgeName(report.judge, (title) => `${title}, not an LLM`)})`,
  );
  if (!completeness.complete) {
    lines.push(
      style.warn(
        `warning: the run did not finish (${completeness.missing_dry_runs} dry runs missing); the numbers cover only the logged work`,
      ),
    );
  }
  // Insufficient data's summary is its reasons: they are listed once, below the verdict.
  const summary = rec.insufficient.length > 0 ? "" : t`: ${rec.summary.replace(/^[^:]*: /, "")}`;
  lines.push(
    "",
    style.strong(
      `Verdict: ${strategyLabel(rec.strategy).toUpperCase()}${rec.risk === "unknown" ? "" : ` (${rec.risk} risk)`}`,
    ) + summary,
  );
  for (const reason of rec.insufficient) lines.push(style.warn(t`  insufficient data: ${reason}`));
  for (const rule of rec.rules) {
    lines.push(t`  - ${rule.change} [${rule.risk} → ${strategyLabel(rule.strategy)}]`);
    for (const evidence of rule.evidence) lines.push(t`      ${evidence}`);
  }
  for (const warning of rec.warnings) lines.push(style.warn(t`  warning: ${warning}`));
  const snippets = Object.entries(rec.snippets)
    .filter(([, text]) => text)
    .map(
      ([name]) =>
        `${SNIPPET_LABEL[name] ?? name} (${SNIPPET_DESTINATION[name as keyof typeof SNIPPET_DESTINATION] ?? "see the report"})`,
    );
  if (snippets.length > 0) lines.push(`  suggested config in report.html and report.md: ${snippets.join("; ")}`);
  for (const note of rec.not_measured ?? []) lines.push(style.warn(t`  not measured: ${note}`));

  lines.push("", ...renderGateLines(gate, false, style));

  lines.push(
    "",
    `Key deltas (candidate − baseline over ${completeness.paired_conversations} paired conversations, 95% intervals):`,
    ...reportMetrics(report, "summary").map(({ def, notMeasured }) => summaryMetricLine(report, def, notMeasured)),
    `  field agreement, exact F1: ${fieldAgreementText(report)}`,
    `  predicate Jaccard ${formatNumber(vocabulary.jaccard)} (${jaccardBandLabel(vocabulary.band)})`,
  );
  const noise = judgeNoiseSentences(report);
  if (noise.length > 0) lines.push("", ...noise.map((line) => t`${line}`));
  lines.push(...modelSummaryLines(report));
  if (report.reextraction) lines.push("", reextractionSummaryLine(report.reextraction));
  const retrieval = retrievalSummaryLines(report);
  if (retrieval.length > 0) lines.push("", ...retrieval.map((line) => t`${line}`));
  const failed = (["baseline", "candidate"] as const).filter((role) => completeness[role].failed > 0);
  if (failed.length > 0) {
    lines.push(
      "",
      style.warn(
        t`Failed dry runs: ${failed
          .map(
            (role) =>
              `${role} ${completeness[role].failed} of ${completeness[role].attempted} (${Object.entries(
                completeness[role].failed_by_kind,
              )
                .map(([k, n]) => `${k} ${n}`)
                .join(", ")})`,
          )
          .join("; ")}`,
      ),
    );
  }
  if (report.flags.length > 0) lines.push("", "Flags:", ...report.flags.map((f) => t`  - ${f.message}`));
  if (report.errors.length > 0) {
    const first = report.errors[0]!;
    lines.push(
      "",
      style.warn(
        t`Errors: ${report.errors.length} unit(s) failed; the first (${first.role} ${first.conversation_id}, ${first.kind}): ${first.message}. All of them are in report.html`,
      ),
    );
  }
  return lines.join("\n");
}

/** Golden memories a candidate states only in part (a model judge's coverage score 1), which recall does not count. */
function partialText(a: ConfigMetrics, b: ConfigMetrics): string {
  if (a.recall.partial === undefined || b.recall.partial === undefined) return "";
  return `; partly covered, not counted: ${a.recall.partial}/${a.recall.golden} → ${b.recall.partial}/${b.recall.golden}`;
}

/** What the summary says beside a metric's change: inside its parentheses, and after them. */
function summaryNotes(report: BenchReport, key: string): { inside: string; after: string } {
  const corrected = (metric: "precision" | "recall" | "junk") => {
    const text = correctedChangeText(report, metric);
    return text ? `; ${text}` : "";
  };
  const { baseline: a, candidate: b } = report.metrics;
  const mc = report.mcnemar;
  if (key === "precision") return { inside: corrected("precision"), after: "" };
  if (key === "recall") {
    const mcnemar = `; McNemar p ${formatNumber(mc.p_value)} (${mc.baseline_only} covered by baseline only, ${mc.candidate_only} by candidate only)`;
    return { inside: corrected("recall"), after: mcnemar + partialText(a, b) };
  }
  if (key === "junk") return { inside: corrected("junk"), after: ` on ${b.junk.conversations} conversations` };
  if (key === "confidence_mean") {
    const caveat = calibrationCaveat(report);
    return {
      inside: "",
      after: `; ECE ${formatNumber(report.calibration.baseline.ece)} → ${formatNumber(report.calibration.candidate.ece)}${caveat ? ` (${caveat})` : ""}`,
    };
  }
  return { inside: "", after: "" };
}

/** "  precision 83.0% → 79.0% (−4.0 pp [−7.8, −1.0] pp)", from the metric table. */
function summaryMetricLine(report: BenchReport, def: MetricDefinition, notMeasured: string | undefined): string {
  const label = `  ${def.label.padEnd(9)}`;
  if (notMeasured !== undefined) return `${label} not measured: ${notMeasured}`;
  const change = def.changeOf(report);
  const { inside, after } = summaryNotes(report, def.key);
  const levels = `${levelShort(def, def.levelOf(report, "baseline"))} → ${levelShort(def, def.levelOf(report, "candidate"))}`;
  return `${label} ${levels} (${`${changeValue(def, change.value)} ${changeInterval(def, change.ci)}`.trim()}${inside})${after}`;
}
