/**
 * One formatter per kind of number, shared by every renderer and by the gate's sentences, so a
 * value prints in one unit everywhere: a rate as a percentage, a difference of rates in percentage
 * points, a relative change as a signed percentage, a count as an integer. One minus sign (U+2212).
 */

export const MINUS = "\u2212";
const NOT_AVAILABLE = "n/a";

function fixed(value: number, digits: number): string {
  // Round first so −0.0004 prints as 0.0, not −0.0.
  const rounded = Number(value.toFixed(digits));
  const text = Math.abs(rounded).toFixed(digits);
  return rounded < 0 ? `${MINUS}${text}` : text;
}

function signed(value: number, digits: number): string {
  const text = fixed(value, digits);
  return text.startsWith(MINUS) || Number(text) === 0 ? text : `+${text}`;
}

/** A plain number with a minus sign: a mean confidence (0.64), a Jaccard (0.200). */
export function formatNumber(value: number | null, digits = 3): string {
  return value === null ? NOT_AVAILABLE : fixed(value, digits);
}

/** A signed plain number: a change of mean confidence (+0.180). */
export function formatSignedNumber(value: number | null, digits = 3): string {
  return value === null ? NOT_AVAILABLE : signed(value, digits);
}

/** A rate (a fraction in [0, 1]) as a percentage: 0.957 → "95.7%". */
export function formatRate(value: number | null, digits = 1): string {
  return value === null ? NOT_AVAILABLE : `${fixed(value * 100, digits)}%`;
}

/** A difference of two rates (a fraction) in percentage points: −0.043 → "−4.3 pp". */
export function formatPoints(value: number | null, digits = 1): string {
  return value === null ? NOT_AVAILABLE : `${signed(value * 100, digits)} pp`;
}

/** A relative change (a fraction) as a signed percentage: 0.054 → "+5.4%". */
export function formatRelative(value: number | null, digits = 1): string {
  return value === null ? NOT_AVAILABLE : `${signed(value * 100, digits)}%`;
}

/**
 * For counts that are not whole numbers, made on first use: an Intl formatter costs about 10 ms to
 * build (ICU's number data), which every command would pay at start if it were made here.
 */
let fractionalCounts: Intl.NumberFormat | undefined;

/** A count with thousands separators, as Intl's en-US formatter writes it: 1943 → "1,943". */
export function formatCount(value: number): string {
  if (Number.isSafeInteger(value)) {
    const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+$)/g, ",");
    return value < 0 || Object.is(value, -0) ? `-${digits}` : digits;
  }
  return (fractionalCounts ??= new Intl.NumberFormat("en-US")).format(value);
}

/** US dollars: four decimals below $1 (model calls are cheap one by one), two above: "$0.0166", "$12.40". */
export function formatUsd(value: number): string {
  return `$${fixed(value, Math.abs(value) < 1 ? 4 : 2)}`;
}

export type NumberUnit = "rate" | "pp" | "relative";

/** A 95% interval in the unit of its estimate: "[−7.8, −1.0] pp", "[93.1%, 98.0%]". Empty when missing. */
export function formatInterval(ci: readonly [number, number] | null, unit: NumberUnit, digits = 1): string {
  if (ci === null) return "";
  if (unit === "rate") return `[${formatRate(ci[0], digits)}, ${formatRate(ci[1], digits)}]`;
  const part = (v: number) => (unit === "pp" ? signed(v * 100, digits) : `${signed(v * 100, digits)}%`);
  return `[${part(ci[0])}, ${part(ci[1])}]${unit === "pp" ? " pp" : ""}`;
}

/** A value in its unit: a rate, points or a relative change. */
export function formatInUnit(value: number | null, unit: NumberUnit, digits = 1): string {
  return unit === "rate"
    ? formatRate(value, digits)
    : unit === "pp"
      ? formatPoints(value, digits)
      : formatRelative(value, digits);
}

/** An estimate with its 95% interval, in its unit: "−4.3 pp [−7.8, −1.0] pp", "37.4% [30.0%, 47.7%]"; the interval left out when missing. */
export function formatEstimate(
  value: number | null,
  ci: readonly [number, number] | null,
  unit: NumberUnit,
  digits = 1,
): string {
  return `${formatInUnit(value, unit, digits)} ${formatInterval(ci, unit, digits)}`.trim();
}

/** A limit in its unit, unsigned: 0.05 as points → "5.0 pp", as a rate → "5.0%", relative → "±40.0%". */
export function formatLimit(limit: number, unit: NumberUnit, digits = 1): string {
  const text = fixed(limit * 100, digits);
  return unit === "pp" ? `${text} pp` : unit === "rate" ? `${text}%` : `±${text}%`;
}
