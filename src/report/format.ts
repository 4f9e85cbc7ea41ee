/** Text helpers shared by the renderers; numbers are formatted by `text/format-number.ts`, escaping per medium in `markdown.ts`, `html/html.ts`, `terminal.ts`. */
import { formatCount } from "../text/format-number.js";

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The first `max` items and how many were left out. */
export function firstOf<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

/** A duration in milliseconds: "850 ms", "12.4 s", "3 min 05 s", "2 h 05 min", "3 d 04 h". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "n/a";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  // Each unit is rounded before it is split, so 59 min 59.6 s prints as "1 h 00 min", never "60 min 00 s".
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
  const hours = Math.round(ms / 3_600_000);
  return `${formatCount(Math.floor(hours / 24))} d ${String(hours % 24).padStart(2, "0")} h`;
}
