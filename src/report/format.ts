/** Formatting shared by the text renderers. */

export function formatPercent(value: number | null, digits = 1): string {
  return value === null ? "n/a" : `${(value * 100).toFixed(digits)}%`;
}

export function formatNumber(value: number | null, digits = 3): string {
  return value === null ? "n/a" : value.toFixed(digits);
}

export function formatSigned(value: number | null, digits = 3, suffix = ""): string {
  if (value === null) return "n/a";
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(digits)}${suffix}`;
}

export function formatInterval(ci: [number, number] | null, digits = 3): string {
  return ci === null ? "" : `[${ci[0].toFixed(digits)}, ${ci[1].toFixed(digits)}]`;
}

/** Escape text for a Markdown table cell or line: markup renders as text, pipes do not split cells. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** US dollars: four decimals below $1 (model calls are cheap one by one), two above. */
export function formatUsd(value: number): string {
  return `$${value.toFixed(Math.abs(value) < 1 ? 4 : 2)}`;
}

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}
