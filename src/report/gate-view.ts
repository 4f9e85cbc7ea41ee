import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport, GateCheck, GateCheckStatus } from "../schema/report.js";
import { formatInUnit, formatLimit } from "../text/format-number.js";

/**
 * The gate as every renderer shows it: each check with its status, its measured value and its limit
 * in the check's own unit, and one sentence a reviewer can act on.
 */

export interface CheckView {
  id: string;
  label: string;
  status: GateCheckStatus;
  /** Whether the check, as evaluated, blocks the merge (an unmeasured check does unless `on_unmeasured: pass`). */
  blocking: boolean;
  /** The measured value in words, without the limit: "precision −4.3 pp [−7.8, −1.0] pp". */
  value: string;
  limit: string;
  /** "junk rate rise, lower bound of its 95% interval: junk +5.0 pp [+1.2, +8.7] pp (limit 5.0 pp)". */
  sentence: string;
}

export interface GateView {
  passed: boolean;
  /** Too little was measured for a verdict (the recommendation says insufficient data). */
  insufficient: boolean;
  checks: CheckView[];
  /** Checks that failed or could not be measured, failed first. */
  attention: CheckView[];
  /** The verdict and the gate in one line: what to do and why. */
  headline: string;
}

export function viewCheck(check: GateCheck, letUnmeasuredPass: boolean): CheckView {
  const limit = formatLimit(check.limit, check.unit);
  const value = check.detail.replace(/ \(limit [^)]*\)$/, "");
  return {
    id: check.id,
    label: check.description,
    status: check.status,
    blocking: check.status === "failed" || (check.status === "not_measured" && !letUnmeasuredPass),
    value: check.status === "not_measured" ? value : value || formatInUnit(check.value, check.unit),
    limit,
    sentence: `${check.description}: ${check.detail}`,
  };
}

export function strategyText(report: BenchReport): string {
  const rec = report.recommendation;
  return `${strategyLabel(rec.strategy)}${rec.risk === "unknown" ? "" : ` (${rec.risk} risk)`}`;
}

export function viewGate(report: BenchReport): GateView {
  const letPass = report.gate.thresholds.on_unmeasured === "pass";
  const checks = report.gate.checks.map((c) => viewCheck(c, letPass));
  const failed = checks.filter((c) => c.status === "failed");
  const unmeasured = checks.filter((c) => c.status === "not_measured");
  const attention = [...failed, ...unmeasured];
  const blocking = checks.filter((c) => c.blocking);
  const strategy = strategyText(report);
  const insufficient = report.recommendation.strategy === "insufficient_data";
  const headline = report.gate.passed && insufficient
    ? `The gate passed, but too little was measured to trust it or to recommend a migration: ${report.recommendation.insufficient.join("; ")}.`
    : report.gate.passed
    ? `All ${checks.length - unmeasured.length} measured gate checks are within their limits${unmeasured.length > 0 ? ` (${unmeasured.length} not measured, let through by on_unmeasured: pass)` : ""}: safe to merge; migrate by ${strategy}.`
    : `Do not merge: ${blocking.map((c) => c.sentence).join("; ")}. Migration: ${strategy}.`;
  return { passed: report.gate.passed, insufficient, checks, attention, headline };
}
