import type { MetricChange, MetricDefinition, MetricLevel } from "../metrics/metric-table.js";
import type { Thresholds } from "../schema/bench-config.js";
import {
  formatCount,
  formatInterval,
  formatNumber,
  formatPoints,
  formatRate,
  formatRelative,
  formatSignedNumber,
} from "../text/format-number.js";

/**
 * A metric's numbers as text, from its definition alone: the one place a level, a change and an
 * interval pick their formatter, so every medium prints a metric the same way.
 */

/** Which way a change went for the candidate: worse rows are highlighted as regressions. */
export type Direction = "better" | "worse" | "neutral";

/** The level's value in its unit: "83.0%", "0.372", "1,943". */
export function levelValue(def: MetricDefinition, value: number | null): string {
  if (def.level === "rate") return formatRate(value);
  if (def.level === "count") return value === null ? formatNumber(null) : formatCount(value);
  return formatNumber(value, def.digits);
}

/** A level with its correction for the judge's noise, no interval: "83.0% (corrected 97.1%)". */
export function levelShort(def: MetricDefinition, level: MetricLevel): string {
  const value = levelValue(def, level.value);
  return level.corrected ? `${value} (corrected ${levelValue(def, level.corrected.value)})` : value;
}

/** A level in full: value, 95% interval, correction and counts: "12.0% [8.1%, 16.5%] (corrected 10.2%) (6/50)". */
export function levelFull(def: MetricDefinition, level: MetricLevel): string {
  const interval = level.ci && def.interval !== "none" ? formatInterval(level.ci, "rate") : "";
  const withInterval = `${levelValue(def, level.value)} ${interval}`.trim();
  const corrected = level.corrected ? ` (corrected ${levelValue(def, level.corrected.value)})` : "";
  const counts = level.counts ? ` (${level.counts[0]}/${level.counts[1]})` : "";
  return `${withInterval}${corrected}${counts}`;
}

/** A change in its unit: "−4.3 pp", "+5.4%", "+0.180"; empty for a metric whose change is not shown. */
export function changeValue(def: MetricDefinition, value: number | null): string {
  if (def.change === "pp") return formatPoints(value);
  if (def.change === "relative") return formatRelative(value);
  if (def.change === "number") return formatSignedNumber(value, def.digits);
  return "";
}

/** A change's 95% interval in its unit: "[−7.8, −1.0] pp"; empty when none was measured or the definition has no interval source. */
export function changeInterval(def: MetricDefinition, ci: [number, number] | null | undefined): string {
  if (!ci || def.interval === "none" || def.change === "none" || def.change === "number") return "";
  return formatInterval(ci, def.change);
}

/** The observed change, and the corrected one the gate reads when the judge's noise was measured: "−4.3 pp (corrected −2.0 pp)". */
export function changeFull(def: MetricDefinition, change: MetricChange): string {
  const observed = changeValue(def, change.value);
  return change.corrected ? `${observed} (corrected ${changeValue(def, change.corrected.value)})` : observed;
}

/** The change's interval, and the corrected one beside it: "[−7.8, −1.0] pp (corrected [−5.1, 1.2] pp)". */
export function changeIntervalFull(def: MetricDefinition, change: MetricChange): string {
  const observed = changeInterval(def, change.ci);
  return change.corrected
    ? `${observed} (corrected ${changeInterval(def, change.corrected.ci) || "n/a"})`.trim()
    : observed;
}

/**
 * Which way the change went for the candidate. The corrected change counts when there is one; a
 * change that rounds to zero is neutral; a metric with no better direction is worse only beyond its
 * gate limit, either way.
 */
export function changeDirection(def: MetricDefinition, change: MetricChange, thresholds: Thresholds): Direction {
  const value = change.corrected ? change.corrected.value : change.value;
  if (value === null) return "neutral";
  if (def.better === "neither")
    return def.gate !== undefined && Math.abs(value) > thresholds[def.gate] ? "worse" : "neutral";
  if (Math.abs(value) < 5e-4) return "neutral";
  return value * (def.better === "higher" ? 1 : -1) > 0 ? "better" : "worse";
}
