import { reportMetrics } from "../metrics/metric-table.js";
import type { BenchReport } from "../schema/report.js";
import { changeDirection, changeFull, changeIntervalFull, levelFull, type Direction } from "./metric-text.js";

export type { Direction } from "./metric-text.js";

export interface MetricRow {
  /** The metric's key in the metric table. */
  key: string;
  label: string;
  baseline: string;
  candidate: string;
  delta: string;
  interval: string;
  direction: Direction;
}

const NOT_MEASURED = "not measured";

/**
 * The metric table every report shows, one row per definition of the metric table that applies to
 * the report: baseline, candidate, candidate − baseline and its 95% interval.
 */
export function metricRows(report: BenchReport): MetricRow[] {
  return reportMetrics(report).map(({ def, notMeasured }): MetricRow => {
    if (notMeasured !== undefined) {
      return {
        key: def.key,
        label: def.label,
        baseline: NOT_MEASURED,
        candidate: NOT_MEASURED,
        delta: "",
        interval: "",
        direction: "neutral",
      };
    }
    const change = def.changeOf(report);
    return {
      key: def.key,
      label: def.label,
      baseline: levelFull(def, def.levelOf(report, "baseline")),
      candidate: levelFull(def, def.levelOf(report, "candidate")),
      delta: changeFull(def, change),
      interval: changeIntervalFull(def, change),
      direction: changeDirection(def, change, report.gate.thresholds),
    };
  });
}
