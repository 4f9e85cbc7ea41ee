import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport, GateCheck } from "../schema/report.js";
import { truncate } from "./format.js";
import {
  GATE_RULE,
  letThrough,
  STATUS_WORD,
  statusCounts,
  strategyText,
  viewGate,
  type CheckView,
} from "./gate-view.js";
import { markdownCode as code, markdownTable as table, md } from "./markdown.js";
import { MAX_NAME, MAX_TEXT, MAX_WARNINGS } from "./markdown-limits.js";

const ICON: Record<GateCheck["status"], string> = { passed: "✅", failed: "❌", inconclusive: "❔", not_measured: "⚠️" };
const STATUS_MARK = Object.fromEntries(
  Object.entries(ICON).map(([status, icon]) => [status, `${icon} ${STATUS_WORD[status as GateCheck["status"]]}`]),
) as Record<GateCheck["status"], string>;

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
export function verdictLines(report: BenchReport): string[] {
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

/** The gate's checks as a table, and the rule that reads them. */
export function gateSection(report: BenchReport): string[] {
  const gate = viewGate(report);
  return [
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
  ];
}
