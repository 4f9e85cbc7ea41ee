import type { BenchReport, ConfigMetrics, Deltas } from "../schema/report.js";
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

/** A judged level, with its correction for the judge's noise when there is one: "83.0% [79.1%, 86.5%] (corrected 97.1%)". */
function judgedLevel(value: number | null, ci: [number, number] | null, corrected: { value: number | null } | undefined): string {
  return corrected ? `${rateCi(value, ci)} (corrected ${formatRate(corrected.value)})` : rateCi(value, ci);
}

type JudgedChange = Deltas["precision"];
/** The observed change, and the corrected one the gate reads when the judge's noise was measured. */
const judgedDelta = (d: JudgedChange) => (d.corrected ? `${formatPoints(d.value)} (corrected ${formatPoints(d.corrected.value)})` : formatPoints(d.value));
const judgedInterval = (d: JudgedChange) => (d.corrected ? `${formatInterval(d.ci, "pp")} (corrected ${formatInterval(d.corrected.ci, "pp") || "n/a"})`.trim() : formatInterval(d.ci, "pp"));
/** The change whose direction counts: the corrected one when there is one. */
const judgedValue = (d: JudgedChange) => (d.corrected ? d.corrected.value : d.value);

/**
 * Golden memories covered only in part, beside recall, which counts full coverage alone; shown only
 * when a model judged coverage on both sides (a cheap match gives no partial verdict).
 */
function partialRows(a: ConfigMetrics, b: ConfigMetrics): MetricRow[] {
  const [pa, pb] = [a.recall.partial, b.recall.partial];
  if (pa === undefined || pb === undefined) return [];
  const share = (m: ConfigMetrics, partial: number) => (m.recall.golden > 0 ? partial / m.recall.golden : null);
  const [sa, sb] = [share(a, pa), share(b, pb)];
  const change = sa === null || sb === null ? null : sb - sa;
  return [
    {
      label: "partly covered (not in recall)",
      baseline: `${formatRate(sa)} (${pa}/${a.recall.golden})`,
      candidate: `${formatRate(sb)} (${pb}/${b.recall.golden})`,
      delta: formatPoints(change),
      interval: "",
      direction: "neutral",
    },
  ];
}

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
    row("precision", (m) => judgedLevel(m.precision.value, m.precision.ci, m.precision.corrected), judgedDelta(delta.precision), direction(judgedValue(delta.precision), 1), judgedInterval(delta.precision)),
    row("recall", (m) => judgedLevel(m.recall.value, m.recall.ci, m.recall.corrected), judgedDelta(delta.recall), direction(judgedValue(delta.recall), 1), judgedInterval(delta.recall)),
    ...partialRows(a, b),
    row("extractions / turn", (m) => formatNumber(m.extraction.per_turn), formatRelative(count),
      count !== null && Math.abs(count) > limit ? "worse" : "neutral", formatInterval(delta.extraction_per_turn.ci, "relative")),
    row("extractions / conversation", (m) => formatNumber(m.extraction.per_conversation, 2)),
    row("junk rate", (m) => `${judgedLevel(m.junk.rate, m.junk.ci, m.junk.corrected)} (${m.junk.junk}/${m.junk.judged})`, judgedDelta(delta.junk), direction(judgedValue(delta.junk), -1), judgedInterval(delta.junk)),
    row("confidence ≥ 0.7", (m) => formatRate(m.confidence.high_share), formatPoints(delta.confidence_high_share)),
    row("mean confidence", (m) => formatNumber(m.confidence.mean), formatSignedNumber(delta.confidence_mean)),
    row("JSON fail rate", (m) => formatRate(m.operating.json_fail_rate), formatPoints(delta.json_fail_rate), direction(delta.json_fail_rate, -1)),
    row("dedup collapse rate", (m) => formatRate(m.operating.dedup_collapse_rate), formatPoints(delta.dedup_collapse_rate)),
    entities.not_measured
      ? { label: "entity-resolution fail rate", baseline: "not measured", candidate: "not measured", delta: "", interval: "", direction: "neutral" as const }
      : {
          label: "entity-resolution fail rate",
          baseline: formatRate(entities.baseline.fail_rate),
          candidate: formatRate(entities.candidate.fail_rate),
          delta: formatPoints(entities.fail_rate_delta),
          interval: formatInterval(delta.entity_resolution?.ci ?? null, "pp"),
          direction: direction(entities.fail_rate_delta, -1),
        },
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
