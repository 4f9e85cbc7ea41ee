import { Command, Option } from "commander";
import { escapeTerminalLines, terminal as t } from "../report/terminal.js";
import { summaryStyle } from "./colour.js";
import { TOOL_VERSION } from "../version.js";
import { displayPath } from "../text/display-path.js";
import type { CacheMode } from "../schema/bench-config.js";
import { redact, registerSecretsFrom } from "../text/redact.js";
import { registerCacheCommands } from "./cache-commands.js";
import { describeError } from "./error-message.js";
import { registerGoldenCommands } from "./golden-commands.js";
import { GATE_EXAMPLES, HELP_CONFIGURATION, RUN_EXAMPLES } from "./help.js";
import { appendStepSummary, writtenList } from "./run-command.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress line rewriting). */
  isTTY: boolean;
  /** Whether stdout is a terminal (colours); defaults to `isTTY`. */
  stdoutIsTTY?: boolean;
  /** The built CLI's worker module for `run` (see runInWorker); without it `run` runs on the calling thread. */
  runWorker?: URL;
}

/**
 * A writer to the process's stdout or stderr that outlives its reader: once the reader is gone
 * (`cache stats | head -c 1`), what is left to print is dropped instead of ending in an EPIPE stack.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The process's own terminal, as the built CLI uses it. */
export function processIo(): CliIo {
  return {
    stdout: pipeWriter(process.stdout),
    stderr: pipeWriter(process.stderr),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  };
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
};

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command();
  const style = summaryStyle(io.env, io.stdoutIsTTY ?? io.isTTY);
  program
    .name("extractor-bench")
    .description("Offline test bench for memory-extractor upgrades: dry-run two extractor configs over golden conversations, measure the drift, recommend a migration strategy, gate CI.")
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .configureHelp(HELP_CONFIGURATION);

  program
    .command("run")
    .description("run the whole bench: dry runs, judge, metrics, recommendation, gate and reports")
    .addHelpText("after", RUN_EXAMPLES)
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
      const { runHere, runInWorker } = await import("./stop-run.js");
      // The built CLI runs the bench in a worker thread, so a signal is answered at once whatever the run is doing.
      setExit(io.runWorker ? await runInWorker(io.runWorker, bench, options, io) : await runHere(bench, options, io));
    });

  program
    .command("dry")
    .description("try one extractor config on one conversation and print the memories it would extract (a dry run: nothing is stored)")
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
    .addHelpText("after", GATE_EXAMPLES)
    .argument("<run>", "run folder or report.json")
    .option("--thresholds <file>", "YAML with thresholds (a bare mapping or a bench file's thresholds block)")
    .option("--json", "print the gate as JSON")
    .action(async (target: string, options: { thresholds?: string; json?: boolean }) => {
      const [{ gateRun }, { renderGateLines }] = await Promise.all([import("../run/gate-run.js"), import("../report/render-summary.js")]);
      const { gate, rebuilt } = await gateRun(target, options.thresholds);
      if (rebuilt) io.stderr(t`note: the report was rebuilt from the run log: ${rebuilt} (extractor-bench report ${target} writes it anew)` + "\n");
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

/**
 * Run the CLI; returns the exit code: 0 ok/gate passed, 1 gate failed, 2 bad input or usage, 3 could
 * not finish, 130/143 stopped by SIGINT/SIGTERM. Everything it prints passes the redaction of keys.
 */
export async function main(argv: string[], terminalIo: CliIo = defaultIo): Promise<number> {
  registerSecretsFrom(terminalIo.env);
  const io: CliIo = { ...terminalIo, stdout: (text) => terminalIo.stdout(redact(text)), stderr: (text) => terminalIo.stderr(redact(text)) };
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    const { code, text } = describeError(error);
    if (text) io.stderr(text);
    return code;
  }
}
