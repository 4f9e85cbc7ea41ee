import { strategyLabel } from "../recommend/recommend.js";
import type { BenchReport, GateCheck } from "../schema/report.js";
import { formatPoints, formatPointsInterval, formatRate, formatRelative } from "./format.js";

/**
 * The gate as every renderer shows it: each check with its status, its measured value and its limit
 * in the check's own unit, and one sentence a reviewer can act on.
 */

export type CheckStatus = "passed" | "failed" | "not_measured";

export interface CheckView {
  id: string;
  label: string;
  status: CheckStatus;
  value: string;
  limit: string;
  /** "recall −4.3 pp [−7.0, −1.8] pp against a limit of 0.0 pp". */
  sentence: string;
}

export interface GateView {
  passed: boolean;
  checks: CheckView[];
  /** Checks that failed or could not be measured, failed first. */
  attention: CheckView[];
  /** The verdict and the gate in one line: what to do and why. */
  headline: string;
}

type Formatter = (check: GateCheck, report: BenchReport) => { label: string; value: string; limit: string };

const FORMATTERS: Record<string, Formatter> = {
  precision_drop: (c, r) => ({
    label: "precision change",
    value: `${formatPoints(r.metrics.delta.precision.value)} ${formatPointsInterval(r.metrics.delta.precision.ci)}`.trim(),
    limit: `drop of at most ${formatPoints(c.limit).replace(/^[+±]/, "")}`,
  }),
  recall_drop: (c, r) => ({
    label: "recall change",
    value: `${formatPoints(r.metrics.delta.recall.value)} ${formatPointsInterval(r.metrics.delta.recall.ci)}`.trim(),
    limit: `drop of at most ${formatPoints(c.limit).replace(/^[+±]/, "")} unless the interval includes 0`,
  }),
  junk_increase: (c) => ({
    label: "junk rate change",
    value: formatPoints(c.value === null ? null : c.value / 100),
    limit: `rise of at most ${formatPoints(c.limit / 100).replace(/^[+±]/, "")}`,
  }),
  json_fail_rate: (c) => ({ label: "candidate JSON fail rate", value: formatRate(c.value), limit: `at most ${formatRate(c.limit)}` }),
  extraction_count_change: (c, r) => ({
    label: "extractions per turn change",
    value: formatRelative(r.metrics.delta.extraction_per_turn_pct === null ? null : r.metrics.delta.extraction_per_turn_pct / 100),
    limit: `within ±${formatRate(c.limit, 0)}`,
  }),
  entity_resolution_fail_rate: (c) => ({
    label: "candidate entity-resolution fail rate",
    value: formatRate(c.value),
    limit: `at most ${formatRate(c.limit)}`,
  }),
};

function statusOf(check: GateCheck): CheckStatus {
  if (check.value === null) return "not_measured";
  return check.passed ? "passed" : "failed";
}

export function viewCheck(check: GateCheck, report: BenchReport): CheckView {
  const format = FORMATTERS[check.id] ?? ((c: GateCheck) => ({ label: c.description, value: c.detail, limit: String(c.limit) }));
  const { label, value, limit } = format(check, report);
  const status = statusOf(check);
  const sentence =
    status === "not_measured"
      ? `${label} could not be measured (${check.detail}); limit: ${limit}`
      : `${label} ${value}, limit: ${limit}`;
  return { id: check.id, label, status, value: status === "not_measured" ? "not measured" : value, limit, sentence };
}

export function viewGate(report: BenchReport): GateView {
  const checks = report.gate.checks.map((c) => viewCheck(c, report));
  const failed = checks.filter((c) => c.status === "failed");
  const unmeasured = checks.filter((c) => c.status === "not_measured");
  const attention = [...failed, ...unmeasured];
  const rec = report.recommendation;
  const strategy = `${strategyLabel(rec.strategy)} (${rec.risk} risk)`;
  const headline = report.gate.passed
    ? `All ${checks.length} gate checks are within their limits${unmeasured.length > 0 ? ` (${unmeasured.length} not measured)` : ""}: safe to merge; migrate by ${strategy}.`
    : `Do not merge: ${failed.map((c) => c.sentence).join("; ")}. Migration when it passes: ${strategy}.`;
  return { passed: report.gate.passed, checks, attention, headline };
}
