import { FIELD_NAMES } from "../schema/constants.js";
import type { BenchReport, FieldName } from "../schema/report.js";
import { formatEstimate, formatNumber, formatRate } from "../text/format-number.js";
import { judgeCallsModel } from "../judge/judge-table.js";

/**
 * What was measured and what was not, said the same way in every medium (plain text; each renderer
 * escapes it): a quantity that could not be measured is never shown as a number.
 */

/** Calibration against a heuristic judge's usefulness is a proxy: the caveat every report shows beside it, or "". */
export function calibrationCaveat(report: BenchReport): string {
  const against = report.calibration.against ?? (judgeCallsModel(report.judge.kind) ? "llm_judge" : "heuristic_judge");
  return against === "heuristic_judge"
    ? "against the heuristic judge's usefulness: a proxy from its rules, not a measurement of calibration"
    : "";
}

/** "3.3% → 3.1% (−0.2 pp [−1.0, +0.4] pp)", or "not measured: why". */
export function entityResolutionText(report: BenchReport): string {
  const e = report.entities;
  if (e.not_measured) return `not measured: ${e.not_measured}`;
  const ci = report.metrics.delta.entity_resolution?.ci ?? null;
  return `${formatRate(e.baseline.fail_rate)} → ${formatRate(e.candidate.fail_rate)} (${formatEstimate(e.fail_rate_delta, ci, "pp")})`;
}

/** The fields the golden set does not state, and why. */
export function unmeasuredFields(report: BenchReport): { fields: FieldName[]; reason: string } | undefined {
  const list = report.fields.not_measured ?? [];
  return list.length === 0 ? undefined : { fields: list.map((f) => f.field), reason: list[0]!.reason };
}

/** "subject 0.69 → 0.68, …" over the measured fields, and which were not measured and why. */
export function fieldAgreementText(report: BenchReport, mode: "strict" | "exact" | "partial" = "exact"): string {
  const missing = unmeasuredFields(report);
  const measured = FIELD_NAMES.filter((f) => !missing?.fields.includes(f));
  const shown = measured.map(
    (f) =>
      `${f} ${formatNumber(report.fields.baseline.fields[f][mode].f1, 2)} → ${formatNumber(report.fields.candidate.fields[f][mode].f1, 2)}`,
  );
  const unmeasured = missing ? [`${missing.fields.join(", ")} not measured (${missing.reason})`] : [];
  return [...shown, ...unmeasured].join(", ");
}
