import { appendFileSync, readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { exitCodeOf, InputError, InterruptedError, RunError, UsageError } from "../errors.js";
import { escapeTerminalLines, terminal as t } from "../report/terminal.js";
import { summaryStyle } from "./colour.js";
import { progressReporter } from "./progress.js";
import { TOOL_VERSION } from "../run/version.js";
import { displayPath } from "../text/display-path.js";
import type { CacheMode } from "../schema/bench-config.js";
import { registerCacheCommands } from "./cache-commands.js";
import { registerGoldenCommands } from "./golden-commands.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress line rewriting). */
  isTTY: boolean;
  /** Whether stdout is a terminal (colours); defaults to `isTTY`. */
  stdoutIsTTY?: boolean;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
};

function writtenList(files: string[]): string {
  return `Written:\n${files.map((file) => t`  ${displayPath(file)}`).join("\n")}\n`;
}

/**
 * SIGINT and SIGTERM stop the run: no new work starts, units in flight finish, what finished is kept.
 * A second Ctrl-C quits at once (the log is still whole up to its last line).
 */
function stopOnSignals(io: CliIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(name === "SIGTERM" ? 143 : 130);
    io.stderr(`\n${name}: stopping; units in flight may take a few seconds to finish (press Ctrl-C again to quit now)\n`);
    controller.abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

function appendStepSummary(io: CliIo, markdownFile: string): void {
  const target = io.env.GITHUB_STEP_SUMMARY;
  if (!target) return;
  try {
    appendFileSync(target, `${readFileSync(markdownFile, "utf8")}\n`);
  } catch (error) {
    io.stderr(t`warning: cannot append to GITHUB_STEP_SUMMARY: ${(error as Error).message}` + "\n");
  }
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command();
  const style = summaryStyle(io.env, io.stdoutIsTTY ?? io.isTTY);
  program
    .name("extractor-bench")
    .description("Offline test bench for memory-extractor upgrades: dry-run two extractor configs over golden conversations, measure the drift, recommend a migration strategy, gate CI.")
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command("run")
    .description("run the whole bench: dry runs, judge, metrics, recommendation, gate and reports")
    .argument("[bench]", "bench config file (default: extractor-bench.yaml when present)")
    .option("--baseline <file>", "baseline extractor config (overrides the bench file)")
    .option("--candidate <file>", "candidate extractor config (overrides the bench file)")
    .option("--dataset <path>", "conversations: .jsonl/.json file or folder (overrides the bench file)")
    .option("--golden <path>", "golden memories: .jsonl/.json file or folder (overrides the bench file)")
    .option("--labels <file>", "human labels from golden review (overrides the bench file); the report gives judge-vs-human agreement")
    .addOption(new Option("--judge <judge>", "judge to use").choices(["heuristic"]))
    .option("--out <dir>", "run folder to write (default: <output.dir>/<run-id>)")
    .option("--max-cost <usd>", "stop making model calls once this much USD was spent (exit 3, run log kept)")
    .addOption(new Option("--cache <mode>", "model answer cache mode (overrides the bench file's cache.mode)").choices(["read-write", "read-only", "off", "replay-only"]))
    .option("--batch", "send model calls through the providers' batch APIs: half the price, answers within hours (sets batch.enabled)")
    .option("--resume <run-dir>", "resume the interrupted run in this folder: redo only what its log lacks")
    .option("--retry-errors", "with --resume: redo the units recorded as failed too")
    .option("--shard <i/n>", "run only shard i of n (1-based, e.g. 2/3), chosen by a hash of each conversation id; combine the shards' runs with merge")
    .option("--json", "print report.json instead of the summary")
    .action(async (bench: string | undefined, options: Record<string, string | boolean | undefined>) => {
      if (options.retryErrors && !options.resume) throw new UsageError("--retry-errors needs --resume RUN_DIR");
      if (options.resume && options.out) throw new UsageError("--resume writes into the run folder it resumes; leave out --out");
      let maxCostUsd: number | undefined;
      if (options.maxCost !== undefined) {
        maxCostUsd = Number(options.maxCost);
        if (!Number.isFinite(maxCostUsd) || maxCostUsd <= 0) throw new UsageError(`--max-cost expects a positive number of USD, got "${String(options.maxCost)}"`);
      }
      const { formatShard, parseShard } = await import("../run/shard.js");
      const shard = typeof options.shard === "string" ? parseShard(options.shard) : undefined;
      const stop = stopOnSignals(io);
      const [{ runBench }, { renderSummary }] = await Promise.all([import("../run/run-bench.js"), import("../report/render-summary.js")]);
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
          ...(maxCostUsd === undefined ? {} : { maxCostUsd }),
          ...(options.cache ? { cacheMode: options.cache as CacheMode } : {}),
          env: io.env,
          ...(options.batch ? { batch: true } : {}),
          resume: options.resume as string | undefined,
          retryErrors: options.retryErrors === true,
          signal: stop.signal,
          ...(shard ? { shard } : {}),
          onWarning: (warning) => io.stderr(t`warning: ${warning}` + "\n"),
        },
        progressReporter(io),
      ).finally(stop.dispose);
      if (!outcome.shard) appendStepSummary(io, outcome.files.markdown);
      if (options.json) {
        io.stdout(`${JSON.stringify(outcome.report, null, 2)}\n`);
      } else {
        const { files } = outcome;
        io.stdout(`${renderSummary(outcome.report, style)}\n\n${writtenList([files.html, files.markdown, files.json, files.junit, files.log])}`);
      }
      if (outcome.shard) {
        // A shard's gate covers a part of the conversations: the merged run is what gates.
        io.stderr(
          `Shard ${formatShard(outcome.shard)} finished: its gate covers this shard's conversations only and does not set the exit code. ` +
            "Merge the runs of all shards (extractor-bench merge RUN_DIR… --out DIR), then gate the merged run (extractor-bench gate DIR).\n",
        );
        setExit(0);
      } else setExit(outcome.report.gate.passed ? 0 : 1);
    });

  program
    .command("dry")
    .description("one rememberDry of one conversation under one config, printed")
    .requiredOption("--config <file>", "extractor config")
    .requiredOption("--dataset <path>", "conversations: .jsonl/.json file or folder")
    .requiredOption("--conversation <id>", "conversation id")
    .addOption(new Option("--cache <mode>", "model answer cache mode (default read-write)").choices(["read-write", "read-only", "off", "replay-only"]))
    .option("--cache-dir <dir>", "model answer cache folder (default .extractor-bench/cache)")
    .option("--json", "print the DryRunResult as JSON")
    .action(async (options: { config: string; dataset: string; conversation: string; json?: boolean; cache?: CacheMode; cacheDir?: string }) => {
      const { cache, ...rest } = options;
      const { dryRunOne } = await import("../run/dry-one.js");
      const result = await dryRunOne({ ...rest, env: io.env, ...(cache ? { cacheMode: cache } : {}) });
      if (options.json) {
        io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        if (result.error) setExit(3);
        return;
      }
      const c = result.counts;
      io.stdout(
        t`${result.conversation_id}: ${result.candidates.length} candidates from ${c.turns} turns ` +
          `(${c.prefiltered_turns} pre-filtered, ${c.extracted} extracted, ${c.deduped} deduped, ${c.json_failures} JSON failures; ` +
          `entities: ${c.resolved_by_stage.exact} exact, ${c.resolved_by_stage.alias} alias, ${c.resolved_by_stage.fuzzy} fuzzy, ${c.resolved_by_stage.fallback} fallback)\n`,
      );
      if (result.error) {
        io.stderr(t`error: the extractor failed on ${result.conversation_id}: ${result.error.kind}: ${result.error.message}` + "\n");
        if (result.stderr) io.stderr(`its stderr ended with:\n${escapeTerminalLines(result.stderr)}\n`);
        setExit(3);
      }
      for (const candidate of result.candidates) {
        io.stdout(
          t`  [${candidate.type}] ${candidate.subject} · ${candidate.predicate} · ${candidate.object}  (conf ${candidate.confidence.toFixed(2)}, evidence ${candidate.evidence.join(",")})` + "\n",
        );
      }
    });

  program
    .command("report")
    .description("re-render report.html, report.md, report.json and junit.xml of a run folder from its run log alone")
    .argument("<run-dir>", "run folder holding run.jsonl")
    .action(async (runDir: string) => {
      const [{ renderRun }, { renderSummary }] = await Promise.all([import("../run/run-bench.js"), import("../report/render-summary.js")]);
      const { report, files } = await renderRun(runDir);
      io.stdout(`${renderSummary(report, style)}\n\n${writtenList([files.html, files.markdown, files.json, files.junit])}`);
      setExit(0);
    });

  program
    .command("merge")
    .description("combine the run folders of every shard of a sharded run (run --shard i/n) into one run and render its reports")
    .argument("<run-dirs...>", "the run folder of each shard")
    .requiredOption("--out <dir>", "run folder to write the merged run into (new or empty)")
    .option("--json", "print report.json instead of the summary")
    .action(async (runDirs: string[], options: { out: string; json?: boolean }) => {
      const [{ mergeRuns }, { renderSummary }] = await Promise.all([import("../run/merge-runs.js"), import("../report/render-summary.js")]);
      const { report, files } = await mergeRuns(runDirs, options.out);
      appendStepSummary(io, files.markdown);
      io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderSummary(report, style)}\n\n${writtenList([files.html, files.markdown, files.json, files.junit, files.log])}`);
      setExit(0);
    });

  program
    .command("gate")
    .description("re-evaluate the CI gate of a run (exit 0 passed, 1 failed)")
    .argument("<run>", "run folder or report.json")
    .option("--thresholds <file>", "YAML with thresholds (a bare mapping or a bench file's thresholds block)")
    .option("--json", "print the gate as JSON")
    .action(async (target: string, options: { thresholds?: string; json?: boolean }) => {
      const [{ gateRun }, { renderGateLines }] = await Promise.all([import("../run/gate-run.js"), import("../report/render-summary.js")]);
      const { gate } = await gateRun(target, options.thresholds);
      if (options.json) io.stdout(`${JSON.stringify(gate, null, 2)}\n`);
      else {
        io.stdout(`${renderGateLines(gate, true, style).join("\n")}\n`);
      }
      setExit(gate.passed ? 0 : 1);
    });

  program
    .command("compare")
    .description("what moved between two runs: each run's deltas with their intervals, the gate, the vocabulary")
    .argument("<a>", "first run: run folder or report.json")
    .argument("<b>", "second run: run folder or report.json")
    .option("--json", "print the comparison as JSON")
    .action(async (a: string, b: string, options: { json?: boolean }) => {
      const [{ compareRuns }, { renderComparison }] = await Promise.all([import("../run/compare-runs.js"), import("../report/render-compare.js")]);
      const comparison = await compareRuns(a, b);
      io.stdout(options.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${renderComparison(comparison, style)}\n`);
      setExit(0);
    });

  program
    .command("init")
    .description("scaffold a bench in a folder: bench file, two extractor configs, a small dataset and golden set")
    .argument("[dir]", "folder to scaffold (created if missing)", ".")
    .action(async (dir: string) => {
      const { initBench } = await import("../run/init-bench.js");
      const outcome = initBench(dir);
      io.stdout(t`Created in ${displayPath(outcome.dir)}:` + "\n");
      for (const file of outcome.files) io.stdout(t`  ${file}` + "\n");
      io.stdout(`\nNext:\n  ${t`${outcome.next}`}\n`);
      setExit(0);
    });

  registerGoldenCommands(program, io, setExit);
  registerCacheCommands(program, io);
  return program;
}

/** Run the CLI; returns the exit code: 0 ok/gate passed, 1 gate failed, 2 bad input or usage, 3 could not finish. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other commander error is bad usage.
      return error.exitCode === 0 ? 0 : 2;
    }
    // Messages quote data (file contents, paths, extractor stderr): control characters are shown, not acted on.
    const message = (text: string) => escapeTerminalLines(text);
    if (error instanceof InterruptedError) io.stderr(`${message(error.message)}\n`);
    else if (error instanceof InputError) io.stderr(`error: bad input\n${message(error.message)}\n`);
    else if (error instanceof UsageError) io.stderr(`error: ${message(error.message)}\n`);
    else if (error instanceof RunError) io.stderr(`error: the run could not finish: ${message(error.message)}\n`);
    else io.stderr(`error: the run could not finish: ${message(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    return exitCodeOf(error);
  }
}
