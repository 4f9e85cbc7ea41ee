/** Formatting shared by the renderers: one formatter per kind of number. */

const MINUS = "−";

function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value > 0 ? "+" : MINUS}${text}`;
}

/** A rate (a fraction in [0, 1]) as a percentage: 0.431 → "43.1%". */
export function formatRate(value: number | null, digits = 1): string {
  return value === null ? "n/a" : `${(value * 100).toFixed(digits)}%`;
}

/** @deprecated name kept for existing callers: same as `formatRate`. */
export const formatPercent = formatRate;

/** A difference of two rates, in percentage points: −0.043 → "−4.3 pp". */
export function formatPoints(value: number | null, digits = 1): string {
  return value === null ? "n/a" : `${signed(value * 100, digits)} pp`;
}

/** A relative change (a fraction): 0.054 → "+5.4%". */
export function formatRelative(value: number | null, digits = 1): string {
  return value === null ? "n/a" : `${signed(value * 100, digits)}%`;
}

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

export function formatNumber(value: number | null, digits = 3): string {
  return value === null ? "n/a" : value.toFixed(digits).replace("-", MINUS);
}

/** A signed plain number with an optional unit suffix: −0.043, +5.4%. */
export function formatSigned(value: number | null, digits = 3, suffix = ""): string {
  return value === null ? "n/a" : `${signed(value, digits)}${suffix}`;
}

/** A 95% interval of plain numbers: "[0.412, 0.498]". */
export function formatInterval(ci: readonly [number, number] | null, digits = 3): string {
  return ci === null ? "" : `[${formatNumber(ci[0], digits)}, ${formatNumber(ci[1], digits)}]`;
}

/** A 95% interval of a difference of rates, in points: "[−7.8, −1.0] pp". */
export function formatPointsInterval(ci: readonly [number, number] | null, digits = 1): string {
  return ci === null ? "" : `[${signed(ci[0] * 100, digits)}, ${signed(ci[1] * 100, digits)}] pp`;
}

/** A duration in milliseconds: "850 ms", "12.4 s", "3 min 05 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "n/a";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The first `max` items and how many were left out. */
export function firstOf<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}
