import type { BenchReport, ConfigMetrics } from "../schema/report.js";
import { formatCount, formatInterval, formatNumber, formatPoints, formatPointsInterval, formatRate, formatRelative, formatSigned } from "./format.js";

/** Which way a delta went for the candidate: worse rows are highlighted as regressions. */
export type Direction = "better" | "worse" | "neutral";

export interface MetricRow {
  label: string;
  baseline: string;
  candidate: string;
  delta: string;
  interval: string;
  direction: Direction;
}

/** Sign of a delta where higher is better (+1) or lower is better (−1); tiny changes are neutral. */
function direction(delta: number | null, higherIsBetter: 1 | -1, epsilon = 1e-9): Direction {
  if (delta === null || Math.abs(delta) <= epsilon) return "neutral";
  return delta * higherIsBetter > 0 ? "better" : "worse";
}

const withCi = (value: number | null, ci: readonly [number, number] | null) => `${formatNumber(value)} ${formatInterval(ci)}`.trim();

/** The metric table every report shows: baseline, candidate, candidate − baseline and its 95% interval. */
export function metricRows(report: BenchReport): MetricRow[] {
  const { baseline: a, candidate: b, delta } = report.metrics;
  const gate = report.gate.thresholds;
  const plain = (label: string, pick: (m: ConfigMetrics) => string, change = "", dir: Direction = "neutral"): MetricRow => ({
    label, baseline: pick(a), candidate: pick(b), delta: change, interval: "", direction: dir,
  });
  const extraction = delta.extraction_per_turn_pct === null ? null : delta.extraction_per_turn_pct / 100;
  return [
    { label: "precision", baseline: withCi(a.precision.value, a.precision.ci), candidate: withCi(b.precision.value, b.precision.ci), delta: formatPoints(delta.precision.value), interval: formatPointsInterval(delta.precision.ci), direction: direction(delta.precision.value, 1) },
    { label: "recall", baseline: withCi(a.recall.value, a.recall.ci), candidate: withCi(b.recall.value, b.recall.ci), delta: formatPoints(delta.recall.value), interval: formatPointsInterval(delta.recall.ci), direction: direction(delta.recall.value, 1) },
    plain("extractions / turn", (m) => formatNumber(m.extraction.per_turn), formatRelative(extraction),
      extraction !== null && Math.abs(extraction) > gate.max_extraction_count_change ? "worse" : "neutral"),
    plain("extractions / conversation", (m) => formatNumber(m.extraction.per_conversation, 2)),
    plain("junk rate (sample)", (m) => `${formatRate(m.junk.rate)} (${m.junk.junk}/${m.junk.sampled})`,
      formatPoints(delta.junk_pp === null ? null : delta.junk_pp / 100), direction(delta.junk_pp, -1)),
    plain("confidence ≥ 0.7", (m) => formatRate(m.confidence.high_share), formatPoints(delta.confidence_high_share_pp === null ? null : delta.confidence_high_share_pp / 100)),
    plain("mean confidence", (m) => formatNumber(m.confidence.mean), formatSigned(delta.confidence_mean)),
    plain("JSON fail rate", (m) => formatRate(m.operating.json_fail_rate), formatPoints(delta.json_fail_rate), direction(delta.json_fail_rate, -1)),
    plain("dedup collapse rate", (m) => formatRate(m.operating.dedup_collapse_rate), formatPoints(delta.dedup_collapse_rate)),
    plain("entity-resolution fail rate", (m) => formatRate(m.operating.entity_resolution_fail_rate), formatPoints(delta.entity_resolution_fail_rate), direction(delta.entity_resolution_fail_rate, -1)),
    plain("candidates", (m) => formatCount(m.candidates)),
    plain("failed conversations", (m) => formatCount(m.conversations_failed), "", b.conversations_failed > a.conversations_failed ? "worse" : "neutral"),
  ];
}
