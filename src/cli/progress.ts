import type { Progress } from "../run/run-session.js";
import { formatUsd } from "../text/format-number.js";
import type { CliIo } from "./io.js";

const PHASE_LABEL: Record<Progress["phase"], string> = {
  dry_run: "dry runs and judging",
  junk: "junk sample",
  pairwise: "pairwise comparison",
  retrieval: "retrieval simulation",
};

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/**
 * The time left at the phase's pace so far: "—" until a unit has finished (no pace yet), and "<1s"
 * rather than "0s" while units remain.
 */
function eta(done: number, total: number, elapsedMs: number): string {
  if (done === 0) return "—";
  const left = (elapsedMs / done) * (total - done);
  return left < 500 ? "<1s" : formatDuration(left);
}

/** One progress line: done/total, then model calls, cache hits and cost so far once a model is called (marked incomplete while a model has no price), and the ETA. */
export function progressLine(progress: Progress, elapsedMs: number): string {
  const parts = [`${PHASE_LABEL[progress.phase]}: ${progress.done}/${progress.total}`];
  if (progress.calls > 0 || progress.cacheHits > 0) {
    // A bare figure would pass a lower bound off as the spend, as the reports' totals say too.
    const unpriced = progress.unpriced?.length ? ` (incomplete: no price for ${progress.unpriced.join(", ")})` : "";
    parts.push(
      `${progress.calls} calls`,
      `${progress.cacheHits} cache hits`,
      `${formatUsd(progress.costUsd)}${unpriced}`,
    );
  }
  if (progress.done < progress.total) parts.push(`ETA ${eta(progress.done, progress.total, elapsedMs)}`);
  return parts.join(" · ");
}

/**
 * stderr that never glues a message to an open progress line (one rewritten in place, without its
 * newline yet): a message written after one clears that line first, so it starts a line of its own.
 */
export function onOwnLine(write: (text: string) => void): (text: string) => void {
  let open = false;
  return (text) => {
    if (text === "") return;
    write(open && !text.startsWith("\r") ? `\r\x1b[2K${text}` : text);
    open = !text.endsWith("\n");
  };
}

/** A terminal's progress line is redrawn at most this often (its first and last line always are). */
export const REDRAW_MS = 100;

/**
 * Progress on stderr per phase: one rewritten line on a terminal (at most every REDRAW_MS: a cached
 * run finishes thousands of units a second), a few plain lines in CI or a pipe.
 */
export function progressReporter(io: Pick<CliIo, "stderr" | "env" | "isTTY">): (progress: Progress) => void {
  const interactive = io.isTTY && io.env.CI !== "true";
  let phase: Progress["phase"] | undefined;
  let phaseStarted = Date.now();
  let lastQuarter = -1;
  let drawn = Number.NEGATIVE_INFINITY;
  return (progress) => {
    const now = Date.now();
    if (progress.phase !== phase) {
      phase = progress.phase;
      phaseStarted = now;
      lastQuarter = -1;
      drawn = Number.NEGATIVE_INFINITY;
    }
    const last = progress.done === progress.total;
    if (interactive) {
      if (!last && now - drawn < REDRAW_MS) return;
      drawn = now;
      io.stderr(`\r\x1b[2K${progressLine(progress, now - phaseStarted)}${last ? "\n" : ""}`);
      return;
    }
    const quarter = Math.floor((progress.done / progress.total) * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      io.stderr(`${progressLine(progress, now - phaseStarted)}\n`);
    }
  };
}
