import type { BenchReport, ConfigMetrics } from "../schema/report.js";
import { formatCount, formatInterval, formatNumber, formatPoints, formatRate, formatRelative, formatSignedNumber } from "../text/format-number.js";

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

/** Sign of a delta where higher is better (+1) or lower is better (−1); changes that round to zero are neutral. */
function direction(delta: number | null, higherIsBetter: 1 | -1): Direction {
  if (delta === null || Math.abs(delta) < 5e-4) return "neutral";
  return delta * higherIsBetter > 0 ? "better" : "worse";
}

const rateCi = (value: number | null, ci: [number, number] | null) => `${formatRate(value)} ${formatInterval(ci, "rate")}`.trim();

/** The metric table every report shows: baseline, candidate, candidate − baseline and its 95% interval. */
export function metricRows(report: BenchReport): MetricRow[] {
  const { baseline: a, candidate: b, delta } = report.metrics;
  const { entities, completeness } = report;
  const limit = report.gate.thresholds.max_extraction_count_change;
  const row = (label: string, pick: (m: ConfigMetrics) => string, change = "", dir: Direction = "neutral", interval = ""): MetricRow => ({
    label, baseline: pick(a), candidate: pick(b), delta: change, interval, direction: dir,
  });
  const count = delta.extraction_per_turn.value;
  return [
    row("precision", (m) => rateCi(m.precision.value, m.precision.ci), formatPoints(delta.precision.value), direction(delta.precision.value, 1), formatInterval(delta.precision.ci, "pp")),
    row("recall", (m) => rateCi(m.recall.value, m.recall.ci), formatPoints(delta.recall.value), direction(delta.recall.value, 1), formatInterval(delta.recall.ci, "pp")),
    row("extractions / turn", (m) => formatNumber(m.extraction.per_turn), formatRelative(count),
      count !== null && Math.abs(count) > limit ? "worse" : "neutral", formatInterval(delta.extraction_per_turn.ci, "relative")),
    row("extractions / conversation", (m) => formatNumber(m.extraction.per_conversation, 2)),
    row("junk rate", (m) => `${rateCi(m.junk.rate, m.junk.ci)} (${m.junk.junk}/${m.junk.judged})`, formatPoints(delta.junk.value), direction(delta.junk.value, -1), formatInterval(delta.junk.ci, "pp")),
    row("confidence ≥ 0.7", (m) => formatRate(m.confidence.high_share), formatPoints(delta.confidence_high_share)),
    row("mean confidence", (m) => formatNumber(m.confidence.mean), formatSignedNumber(delta.confidence_mean)),
    row("JSON fail rate", (m) => formatRate(m.operating.json_fail_rate), formatPoints(delta.json_fail_rate), direction(delta.json_fail_rate, -1)),
    row("dedup collapse rate", (m) => formatRate(m.operating.dedup_collapse_rate), formatPoints(delta.dedup_collapse_rate)),
    { label: "entity-resolution fail rate", baseline: formatRate(entities.baseline.fail_rate), candidate: formatRate(entities.candidate.fail_rate), delta: formatPoints(entities.fail_rate_delta), interval: "", direction: direction(entities.fail_rate_delta, -1) },
    row("candidates", (m) => formatCount(m.candidates)),
    {
      label: "failed dry runs",
      baseline: `${completeness.baseline.failed} (${formatRate(completeness.baseline.failed_rate)})`,
      candidate: `${completeness.candidate.failed} (${formatRate(completeness.candidate.failed_rate)})`,
      delta: "", interval: "",
      direction: completeness.candidate.failed > completeness.baseline.failed ? "worse" : "neutral",
    },
  ];
}
