import type { Thresholds } from "../schema/bench-config.js";
import type { BenchReport } from "../schema/report.js";
import type { ConfigRole } from "../schema/run-log.js";
import { HIGH_CONFIDENCE_BAND } from "./band-label.js";
import { difference, ratio } from "./numbers.js";

/**
 * Every metric the reports show, defined once: its label, how its level and its change print, which
 * way is better, where its interval comes from, the gate threshold that limits it, where report.json
 * keeps it and which views show it. The terminal summary, Markdown, the HTML hero and tables, JUnit
 * and `compare` read this table; none of them lists a metric by hand.
 */

type Interval = [number, number] | null;

/** One config's level: its value, and where measured its 95% interval, its correction for the judge's noise and the counts it is a share of. */
export interface MetricLevel {
  value: number | null;
  ci?: Interval;
  corrected?: { value: number | null } | undefined;
  /** Numerator and denominator of a share, printed after it: "(3/40)". */
  counts?: [number, number];
}

/** Candidate − baseline, with its 95% interval and its correction for the judge's noise where measured. */
export interface MetricChange {
  value: number | null;
  ci?: Interval;
  corrected?: { value: number | null; ci: Interval } | undefined;
}

/** How a level prints: a rate as a percentage, a number with `digits` decimals, a count as an integer. */
export type LevelUnit = "rate" | "number" | "count";
/** How a change prints: percentage points (a difference of rates), percent (a relative change), a signed number, or not at all. */
export type ChangeUnit = "pp" | "relative" | "number" | "none";
/** Which way is better for the candidate; a "neither" metric is a regression only beyond its gate limit, either way. */
export type Better = "higher" | "lower" | "neither";
/** The gate thresholds that limit a change (the numeric ones). */
export type ChangeLimit = { [K in keyof Thresholds]: Thresholds[K] extends number ? K : never }[keyof Thresholds];
/** Where a metric is shown besides the metric tables of Markdown and HTML (every metric is in those and in report.json). */
export type MetricView = "summary" | "hero" | "compare" | "junit";

export interface MetricDefinition {
  /** Stable name: the JUnit property, the `compare` row id, the key renderers look a metric up by. */
  key: string;
  /** The name every medium prints. */
  label: string;
  level: LevelUnit;
  /** Decimals of a "number" level and of a "number" change. Default 3. */
  digits?: number;
  change: ChangeUnit;
  better: Better;
  /** Where the change's 95% interval comes from: the paired bootstrap over conversations, or none. */
  interval: "paired_bootstrap" | "none";
  /** The gate threshold that limits the change, when a gate check reads this metric. */
  gate?: ChangeLimit;
  /** Where report.json keeps the level (under `metrics.<role>.` unless it starts with a top-level section) and the change. */
  json: { level: string; change?: string };
  views: readonly MetricView[];
  levelOf(report: BenchReport, role: ConfigRole): MetricLevel;
  changeOf(report: BenchReport): MetricChange;
  /** Why the metric could not be measured in this report, when it could not. Default: always measured. */
  notMeasured?(report: BenchReport): string | undefined;
  /** Whether this report has the metric at all (partial coverage needs a model judge). Default: always. */
  applies?(report: BenchReport): boolean;
}

const ALL_VIEWS = ["summary", "hero", "compare", "junit"] as const;

/** Golden memories covered in part, as a share of all golden memories. */
const partialShare = (report: BenchReport, role: ConfigRole) => {
  const { partial, golden } = report.metrics[role].recall;
  return partial === undefined ? null : ratio(partial, golden);
};

/** The metric table, in the order the reports list it. */
export const METRIC_TABLE = [
  {
    key: "precision",
    label: "precision",
    level: "rate",
    change: "pp",
    better: "higher",
    interval: "paired_bootstrap",
    gate: "max_precision_drop",
    json: { level: "precision.value", change: "precision" },
    views: ALL_VIEWS,
    levelOf: (r, role) => r.metrics[role].precision,
    changeOf: (r) => r.metrics.delta.precision,
  },
  {
    key: "recall",
    label: "recall",
    level: "rate",
    change: "pp",
    better: "higher",
    interval: "paired_bootstrap",
    gate: "max_recall_drop",
    json: { level: "recall.value", change: "recall" },
    views: ALL_VIEWS,
    levelOf: (r, role) => r.metrics[role].recall,
    changeOf: (r) => r.metrics.delta.recall,
  },
  {
    key: "recall_partial",
    label: "partly covered (not in recall)",
    level: "rate",
    change: "pp",
    better: "neither",
    interval: "none",
    json: { level: "recall.partial" },
    views: [],
    applies: (r) => r.metrics.baseline.recall.partial !== undefined && r.metrics.candidate.recall.partial !== undefined,
    levelOf: (r, role) => ({
      value: partialShare(r, role),
      counts: [r.metrics[role].recall.partial ?? 0, r.metrics[role].recall.golden],
    }),
    changeOf: (r) => ({ value: difference(partialShare(r, "candidate"), partialShare(r, "baseline")) }),
  },
  {
    key: "extraction_per_turn",
    label: "extractions / turn",
    level: "number",
    change: "relative",
    better: "neither",
    interval: "paired_bootstrap",
    gate: "max_extraction_count_change",
    json: { level: "extraction.per_turn", change: "extraction_per_turn" },
    views: ALL_VIEWS,
    levelOf: (r, role) => ({ value: r.metrics[role].extraction.per_turn }),
    changeOf: (r) => r.metrics.delta.extraction_per_turn,
  },
  {
    key: "extraction_per_conversation",
    label: "extractions / conversation",
    level: "number",
    digits: 2,
    change: "none",
    better: "neither",
    interval: "none",
    json: { level: "extraction.per_conversation" },
    views: [],
    levelOf: (r, role) => ({ value: r.metrics[role].extraction.per_conversation }),
    changeOf: () => ({ value: null }),
  },
  {
    key: "useful_per_conversation",
    label: "useful memories / conversation",
    level: "number",
    digits: 2,
    change: "relative",
    better: "higher",
    interval: "none",
    json: { level: "useful_per_conversation", change: "useful_per_conversation" },
    views: ["summary", "compare", "junit"],
    notMeasured: (r) =>
      r.metrics.delta.useful_per_conversation === undefined
        ? "not in this report (written by an older version)"
        : undefined,
    levelOf: (r, role) => ({ value: r.metrics[role].useful_per_conversation ?? null }),
    changeOf: (r) => ({ value: r.metrics.delta.useful_per_conversation ?? null }),
  },
  {
    key: "junk",
    label: "junk rate",
    level: "rate",
    change: "pp",
    better: "lower",
    interval: "paired_bootstrap",
    gate: "max_junk_increase",
    json: { level: "junk.rate", change: "junk" },
    views: ALL_VIEWS,
    levelOf: (r, role) => {
      const j = r.metrics[role].junk;
      return { value: j.rate, ci: j.ci, corrected: j.corrected, counts: [j.junk, j.judged] };
    },
    changeOf: (r) => r.metrics.delta.junk,
  },
  {
    key: "confidence_high_share",
    label: `confidence ${HIGH_CONFIDENCE_BAND}`,
    level: "rate",
    change: "pp",
    better: "neither",
    interval: "none",
    json: { level: "confidence.high_share", change: "confidence_high_share" },
    views: ["summary", "junit"],
    levelOf: (r, role) => ({ value: r.metrics[role].confidence.high_share }),
    changeOf: (r) => ({ value: r.metrics.delta.confidence_high_share }),
  },
  {
    key: "confidence_mean",
    label: "mean confidence",
    level: "number",
    change: "number",
    better: "neither",
    interval: "none",
    json: { level: "confidence.mean", change: "confidence_mean" },
    views: ["summary", "junit"],
    levelOf: (r, role) => ({ value: r.metrics[role].confidence.mean }),
    changeOf: (r) => ({ value: r.metrics.delta.confidence_mean }),
  },
  {
    key: "json_fail_rate",
    label: "JSON fail rate",
    level: "rate",
    change: "pp",
    better: "lower",
    interval: "none",
    gate: "max_json_fail_rate",
    json: { level: "operating.json_fail_rate", change: "json_fail_rate" },
    views: ["junit"],
    levelOf: (r, role) => ({ value: r.metrics[role].operating.json_fail_rate }),
    changeOf: (r) => ({ value: r.metrics.delta.json_fail_rate }),
  },
  {
    key: "dedup_collapse_rate",
    label: "dedup collapse rate",
    level: "rate",
    change: "pp",
    better: "neither",
    interval: "none",
    json: { level: "operating.dedup_collapse_rate", change: "dedup_collapse_rate" },
    views: ["junit"],
    levelOf: (r, role) => ({ value: r.metrics[role].operating.dedup_collapse_rate }),
    changeOf: (r) => ({ value: r.metrics.delta.dedup_collapse_rate }),
  },
  {
    key: "entity_resolution_fail_rate",
    label: "entity-resolution fail rate",
    level: "rate",
    change: "pp",
    better: "lower",
    interval: "paired_bootstrap",
    gate: "max_entity_resolution_fail_increase",
    json: { level: "entities.<role>.fail_rate", change: "entity_resolution" },
    views: ["summary", "compare", "junit"],
    notMeasured: (r) => r.entities.not_measured,
    levelOf: (r, role) => ({ value: r.entities[role].fail_rate }),
    // Older reports carry the change without its interval.
    changeOf: (r) => ({ value: r.entities.fail_rate_delta, ci: r.metrics.delta.entity_resolution?.ci ?? null }),
  },
  {
    key: "candidates",
    label: "candidates",
    level: "count",
    change: "none",
    better: "neither",
    interval: "none",
    json: { level: "candidates" },
    views: [],
    levelOf: (r, role) => ({ value: r.metrics[role].candidates }),
    changeOf: () => ({ value: null }),
  },
  {
    key: "failed_dry_runs",
    label: "failed dry runs",
    level: "rate",
    change: "pp",
    better: "lower",
    interval: "none",
    gate: "max_failed_unit_rate",
    json: { level: "completeness.<role>.failed_rate" },
    views: ["junit"],
    levelOf: (r, role) => ({
      value: r.completeness[role].failed_rate,
      counts: [r.completeness[role].failed, r.completeness[role].attempted],
    }),
    changeOf: (r) => ({ value: difference(r.completeness.candidate.failed_rate, r.completeness.baseline.failed_rate) }),
  },
] as const satisfies readonly MetricDefinition[];

export type MetricKey = (typeof METRIC_TABLE)[number]["key"];

/** The table as its readers see it: every definition with the same shape. */
export const METRICS: readonly MetricDefinition[] = METRIC_TABLE;

/** The definition of a metric by key. */
export function metricDefinition(key: MetricKey): MetricDefinition {
  return METRICS.find((d) => d.key === key)!;
}

/** The definitions this report has, in table order, with why each could not be measured when it could not. */
export function reportMetrics(
  report: BenchReport,
  view?: MetricView,
): Array<{ def: MetricDefinition; notMeasured: string | undefined }> {
  return METRICS.filter(
    (def) => (view === undefined || def.views.includes(view)) && (def.applies?.(report) ?? true),
  ).map((def) => ({
    def,
    notMeasured: def.notMeasured?.(report),
  }));
}
