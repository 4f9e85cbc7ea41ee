import type { Progress } from "../run/run-bench.js";
import { formatUsd } from "../text/format-number.js";
import type { CliIo } from "./main.js";

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

/** One progress line: done/total, then model calls, cache hits, cost so far and ETA once a model is called. */
export function progressLine(progress: Progress, elapsedMs: number): string {
  const parts = [`${PHASE_LABEL[progress.phase]}: ${progress.done}/${progress.total}`];
  if (progress.calls > 0 || progress.cacheHits > 0) {
    parts.push(`${progress.calls} calls`, `${progress.cacheHits} cache hits`, formatUsd(progress.costUsd));
  }
  if (progress.done > 0 && progress.done < progress.total) parts.push(`ETA ${formatDuration((elapsedMs / progress.done) * (progress.total - progress.done))}`);
  return parts.join(" · ");
}

/** Progress on stderr per phase: one rewritten line on a terminal, a few plain lines in CI or a pipe. */
export function progressReporter(io: Pick<CliIo, "stderr" | "env" | "isTTY">): (progress: Progress) => void {
  const interactive = io.isTTY && io.env.CI !== "true";
  let phase: Progress["phase"] | undefined;
  let phaseStarted = Date.now();
  let lastQuarter = -1;
  return (progress) => {
    if (progress.phase !== phase) {
      phase = progress.phase;
      phaseStarted = Date.now();
      lastQuarter = -1;
    }
    const line = progressLine(progress, Date.now() - phaseStarted);
    if (interactive) {
      io.stderr(`\r\x1b[2K${line}${progress.done === progress.total ? "\n" : ""}`);
      return;
    }
    const quarter = Math.floor((progress.done / progress.total) * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      io.stderr(`${line}\n`);
    }
  };
}
