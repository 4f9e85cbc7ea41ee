import { jaccardBandLabel } from "../metrics/band-label.js";
import type { BenchReport } from "../schema/report.js";
import { FIELD_NAMES, MATCH_MODES } from "../schema/constants.js";
import { formatCount, formatNumber, formatRate, formatSignedNumber } from "../text/format-number.js";
import { truncate } from "./format.js";
import { calibrationCaveat, entityResolutionText, unmeasuredFields } from "./measured-text.js";
import { markdownCode as code, markdownTable as table, md } from "./markdown.js";
import { MAX_NAME, MAX_PREDICATES } from "./markdown-limits.js";

function list(values: string[], max: number): string {
  if (values.length === 0) return "none";
  const shown = values
    .slice(0, max)
    .map((v) => code(v).text)
    .join(", ");
  return values.length > max ? `${shown}, … (${values.length - max} more)` : shown;
}

/** What the candidate extracts, beside the baseline: vocabulary, confidence, types, fields and entities. */
export function measureSections(report: BenchReport): string[][] {
  const { vocabulary } = report;
  const out: string[][] = [];
  out.push([
    "### Predicate vocabulary",
    "",
    `Jaccard over the top ${vocabulary.top_k}: **${formatNumber(vocabulary.jaccard)}** (${jaccardBandLabel(vocabulary.band)})`,
    "",
    `- lost (only baseline): ${list(vocabulary.only_baseline, MAX_PREDICATES)}`,
    `- added (only candidate): ${list(vocabulary.only_candidate, MAX_PREDICATES)}`,
    `- suggested mappings: ${
      vocabulary.suggestions.length === 0
        ? "none"
        : vocabulary.suggestions
            .slice(0, MAX_PREDICATES)
            .map((s) => `${code(s.from)} → ${code(s.to)} (${s.reason}, ${s.reconciles})`)
            .join(", ")
    }`,
  ]);
  const a = report.metrics.baseline.confidence.histogram;
  const b = report.metrics.candidate.confidence.histogram;
  const cal = report.calibration;
  out.push([
    "### Confidence and calibration",
    "",
    ...table(
      ["bucket", "baseline", "candidate"],
      a.map((bucket, i) => [
        `${bucket.from}–${bucket.to}`,
        `${bucket.count} (${formatRate(bucket.share, 0)})`,
        `${b[i]?.count ?? 0} (${formatRate(b[i]?.share ?? null, 0)})`,
      ]),
    ),
    "",
    ...table(
      ["", "judged", "ECE", "Brier"],
      (["baseline", "candidate"] as const).map((role) => [
        role,
        `${cal[role].judged}${cal[role].indicative_only ? " (indicative only)" : ""}`,
        formatNumber(cal[role].ece),
        formatNumber(cal[role].brier),
      ]),
    ),
    ...(calibrationCaveat(report) ? ["", md`⚠️ ECE and Brier are ${calibrationCaveat(report)}.`] : []),
    ...(cal.scaling
      ? [
          "",
          md`Suggested confidence_scaling.factor: **${cal.scaling.factor}** (${cal.scaling.method}; it does not use the judge).`,
        ]
      : []),
  ]);
  const types = [...new Set([...Object.keys(report.types.baseline), ...Object.keys(report.types.candidate)])].slice(
    0,
    30,
  );
  const moved = report.types.moved_by_type.filter((t) => t.moved > 0).slice(0, 20);
  out.push([
    "### Types",
    "",
    ...table(
      ["type", "baseline", "candidate"],
      types.map((t) => [md`${t}`, String(report.types.baseline[t] ?? 0), String(report.types.candidate[t] ?? 0)]),
    ),
    ...(moved.length > 0
      ? [
          "",
          `Moved (paired facts): ${moved
            .map(
              (t) =>
                md`${t.type} ${t.moved}/${t.pairs} (${formatRate(t.share, 0)}) ${t.to
                  .slice(0, 5)
                  .map((m) => `→ ${m.type} ${m.count}`)
                  .join(", ")}`,
            )
            .join("; ")}`,
        ]
      : []),
  ]);
  const missingFields = unmeasuredFields(report);
  out.push([
    "### Field-level agreement with the golden set",
    "",
    ...table(
      ["field", ...MATCH_MODES.map((m) => `${m} F1 (baseline → candidate)`)],
      FIELD_NAMES.map((field) => [
        field,
        ...MATCH_MODES.map((mode) =>
          missingFields?.fields.includes(field)
            ? "not measured"
            : `${formatNumber(report.fields.baseline.fields[field][mode].f1, 2)} → ${formatNumber(report.fields.candidate.fields[field][mode].f1, 2)} (${formatSignedNumber(report.fields.delta[field][mode], 2)})`,
        ),
      ]),
    ),
    "",
    `Optimal one-to-one alignment of candidates to golden memories: ${report.fields.baseline.aligned} baseline and ${report.fields.candidate.aligned} candidate pairs.`,
    ...(missingFields ? ["", md`Not measured: ${missingFields.fields.join(", ")} (${missingFields.reason}).`] : []),
  ]);
  out.push([
    "### Entity resolution",
    "",
    ...(report.entities.not_measured
      ? [md`Not measured: ${report.entities.not_measured}.`]
      : [
          ...table(
            ["", "mentions", "unresolved (fallback)", "fail rate", "most frequent unresolved"],
            (["baseline", "candidate"] as const).map((role) => {
              const e = report.entities[role];
              return [
                role,
                formatCount(e.mentions),
                formatCount(e.fallback),
                formatRate(e.fail_rate),
                e.top_unresolved
                  .slice(0, 5)
                  .map((u) => `${code(truncate(u.mention, MAX_NAME)).text} ${u.count}`)
                  .join(", ") || "none",
              ];
            }),
          ),
          "",
          md`Change: ${entityResolutionText(report)}.`,
        ]),
  ]);
  return out;
}
