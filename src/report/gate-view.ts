import { blocksGate } from "../recommend/gate.js";
import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport, Gate, GateCheck, GateCheckStatus } from "../schema/report.js";
import { formatInUnit, formatLimit } from "../text/format-number.js";

/**
 * The gate as every renderer shows it: each check with its status, its measured value and its limit
 * in the check's own unit, what the rule concluded, and one sentence a reviewer can act on.
 */

/** The gate's rule in one sentence, as the README states it; every renderer shows it beside the checks. */
export const GATE_RULE =
  "A check that compares the two configs passes when its 95% paired interval rules out a change beyond the limit, fails when the interval lies wholly beyond the limit, and is inconclusive when it straddles the limit (passing unless on_inconclusive: fail); observed failure rates (JSON fail rate, failed dry runs) are compared with their limits directly.";

/** Each status as a word, the same in every medium. */
export const STATUS_WORD: Record<GateCheckStatus, string> = {
  passed: "passed",
  failed: "failed",
  inconclusive: "inconclusive",
  not_measured: "not measured",
};

export interface CheckView {
  id: string;
  label: string;
  status: GateCheckStatus;
  /** Whether the check, as evaluated, blocks the merge (see blocksGate). */
  blocking: boolean;
  /** The measured value in words, without the limit: "precision −4.3 pp [−7.8, −1.0] pp". */
  value: string;
  limit: string;
  /** What the rule concluded, e.g. "inconclusive, the interval straddles the limit; about 60 paired conversations would decide it (28 now)". */
  outcome: string;
  /** "precision drop: precision −4.3 pp [−7.8, −1.0] pp (limit 5.0 pp): inconclusive, …". */
  sentence: string;
}

export interface GateView {
  passed: boolean;
  /** Too little was measured for a verdict (the recommendation says insufficient data). */
  insufficient: boolean;
  checks: CheckView[];
  /** Checks that failed, were inconclusive or could not be measured, in that order. */
  attention: CheckView[];
  /** The verdict and the gate in one line: what to do and why. */
  headline: string;
}

/** The detail sentence split into the measured value and the outcome: "<measured> (limit <limit>): <outcome>". */
function splitDetail(check: GateCheck): { value: string; outcome: string } {
  const at = check.detail.lastIndexOf(" (limit ");
  if (at < 0) return { value: check.detail, outcome: "" };
  const rest = check.detail.slice(at);
  const close = rest.indexOf(")");
  const outcome = rest.slice(close + 1).replace(/^:\s*/, "");
  return { value: check.detail.slice(0, at), outcome };
}

export function viewCheck(check: GateCheck, thresholds: Gate["thresholds"]): CheckView {
  const limit = formatLimit(check.limit, check.unit);
  const { value, outcome } = splitDetail(check);
  return {
    id: check.id,
    label: check.description,
    status: check.status,
    blocking: blocksGate(check.status, thresholds),
    value: value || formatInUnit(check.value, check.unit),
    limit,
    outcome,
    sentence: `${check.description}: ${check.detail}`,
  };
}

export function strategyText(report: BenchReport): string {
  const rec = report.recommendation;
  return `${strategyLabel(rec.strategy)}${rec.risk === "unknown" ? "" : ` (${rec.risk} risk)`}`;
}

/** "6 passed, 1 inconclusive, 1 not measured": how the checks came out. */
export function statusCounts(checks: ReadonlyArray<{ status: GateCheckStatus }>): string {
  return (["passed", "failed", "inconclusive", "not_measured"] as const)
    .map((status) => ({ status, n: checks.filter((c) => c.status === status).length }))
    .filter(({ n }) => n > 0)
    .map(({ status, n }) => `${n} ${STATUS_WORD[status]}`)
    .join(", ");
}

/** What let the gate pass despite checks that did not pass: "1 inconclusive let through by on_inconclusive: pass". */
export function letThrough(checks: CheckView[]): string {
  const inconclusive = checks.filter((c) => c.status === "inconclusive" && !c.blocking).length;
  const unmeasured = checks.filter((c) => c.status === "not_measured" && !c.blocking).length;
  return [
    inconclusive > 0 ? `${inconclusive} inconclusive let through by on_inconclusive: pass` : "",
    unmeasured > 0 ? `${unmeasured} not measured let through by on_unmeasured: pass` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function viewGate(report: BenchReport): GateView {
  const checks = report.gate.checks.map((c) => viewCheck(c, report.gate.thresholds));
  const order: GateCheckStatus[] = ["failed", "inconclusive", "not_measured"];
  const attention = order.flatMap((status) => checks.filter((c) => c.status === status));
  const blocking = checks.filter((c) => c.blocking);
  const strategy = strategyText(report);
  const insufficient = report.recommendation.strategy === "insufficient_data";
  const through = letThrough(checks);
  const headline =
    report.gate.passed && insufficient
      ? `The gate passed, but too little was measured to trust it or to recommend a migration: ${report.recommendation.insufficient.join("; ")}.`
      : report.gate.passed
        ? `No regression is established (${statusCounts(checks)}${through ? `; ${through}` : ""}): OK to merge; migrate by ${strategy}.`
        : `Do not merge: ${blocking.length} of ${checks.length} checks block the gate (${blocking.map((c) => `${c.label}: ${STATUS_WORD[c.status]}`).join("; ")}). Migration: ${strategy}.`;
  return { passed: report.gate.passed, insufficient, checks, attention, headline };
}
