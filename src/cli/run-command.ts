import { UsageError } from "../errors.js";
import { terminal as t } from "../report/terminal.js";
import type { CacheMode } from "../schema/bench-config.js";
import { summaryStyle } from "./colour.js";
import type { CliIo } from "./io.js";
import { progressReporter } from "./progress.js";
import { appendStepSummary, writtenList } from "./written-files.js";

/** The options of `run`, as commander parses them. */
export type RunCommandOptions = Record<string, string | boolean | undefined>;

/** Check the options that commander cannot, before anything is loaded. */
export function checkRunOptions(options: RunCommandOptions): void {
  if (options.retryErrors && !options.resume) throw new UsageError("--retry-errors needs --resume RUN_DIR");
  if (options.resume && options.out)
    throw new UsageError("--resume writes into the run folder it resumes; leave out --out");
  if (options.maxCost !== undefined) {
    const maxCostUsd = Number(options.maxCost);
    if (!Number.isFinite(maxCostUsd) || maxCostUsd <= 0)
      throw new UsageError(`--max-cost expects a positive number of USD, got "${String(options.maxCost)}"`);
  }
}

/**
 * `run`: the whole bench, its summary printed. Returns the exit code: 0 gate passed (or a shard),
 * 1 gate failed; throws what stops it (InterruptedError once `signal` aborts).
 */
export async function runCommand(
  bench: string | undefined,
  options: RunCommandOptions,
  io: CliIo,
  control: { signal: AbortSignal; onRunDir?: (runDir: string) => void; stopGraceMs?: number },
): Promise<number> {
  checkRunOptions(options);
  const { formatShard, parseShard } = await import("../run/shard.js");
  const shard = typeof options.shard === "string" ? parseShard(options.shard) : undefined;
  const [{ runBench }, { renderSummary }] = await Promise.all([
    import("../run/run-bench.js"),
    import("../report/render-summary.js"),
  ]);
  const outcome = await runBench(
    {
      benchFile: bench,
      baseline: options.baseline as string | undefined,
      candidate: options.candidate as string | undefined,
      dataset: options.dataset as string | undefined,
      golden: options.golden as string | undefined,
      labels: options.labels as string | undefined,
      judge: options.judge as "heuristic" | undefined,
      out: options.out as string | undefined,
      ...(options.maxCost === undefined ? {} : { maxCostUsd: Number(options.maxCost) }),
      ...(options.cache ? { cacheMode: options.cache as CacheMode } : {}),
      env: io.env,
      ...(options.batch ? { batch: true } : {}),
      resume: options.resume as string | undefined,
      retryErrors: options.retryErrors === true,
      signal: control.signal,
      ...(shard ? { shard } : {}),
      onWarning: (warning) => io.stderr(`${t`warning: ${warning}`}\n`),
      ...(control.onRunDir ? { onRunDir: control.onRunDir } : {}),
      ...(control.stopGraceMs === undefined ? {} : { stopGraceMs: control.stopGraceMs }),
    },
    progressReporter(io),
  );
  if (!outcome.shard) appendStepSummary(io, outcome.files.markdown);
  if (options.json) {
    io.stdout(`${JSON.stringify(outcome.report, null, 2)}\n`);
  } else {
    const { files } = outcome;
    const style = summaryStyle(io.env, io.stdoutIsTTY ?? io.isTTY);
    io.stdout(
      `${renderSummary(outcome.report, style)}\n\n${writtenList([files.html, files.markdown, files.json, files.junit, files.log])}`,
    );
  }
  if (outcome.shard) {
    // A shard's gate covers a part of the conversations: the merged run is what gates.
    io.stderr(
      `Shard ${formatShard(outcome.shard)} finished: its gate covers this shard's conversations only and does not set the exit code. ` +
        "Merge the runs of all shards (extractor-bench merge RUN_DIR… --out DIR), then gate the merged run (extractor-bench gate DIR).\n",
    );
    return 0;
  }
  return outcome.report.gate.passed ? 0 : 1;
}
