import { Option } from "commander";
import { RUN_EXAMPLES } from "../help.js";
import type { RegisterCommand } from "./command.js";

/** `run`: the whole bench (see run-command.ts; stop-run.ts answers signals). */
export const registerRun: RegisterCommand = (program, { io, setExit }) => {
  program
    .command("run")
    .description("run the whole bench: dry runs, judge, metrics, recommendation, gate and reports")
    .addHelpText("after", RUN_EXAMPLES)
    .argument("[bench]", "bench config file (default: extractor-bench.yaml when present)")
    .option("--baseline <file>", "baseline extractor config (overrides the bench file)")
    .option("--candidate <file>", "candidate extractor config (overrides the bench file)")
    .option("--dataset <path>", "conversations: .jsonl/.json file or folder (overrides the bench file)")
    .option("--golden <path>", "golden memories: .jsonl/.json file or folder (overrides the bench file)")
    .option(
      "--labels <file>",
      "human labels from golden review (overrides the bench file); the report gives judge-vs-human agreement",
    )
    .addOption(new Option("--judge <judge>", "judge to use").choices(["heuristic"]))
    .option("--out <dir>", "run folder to write (default: <output.dir>/<run-id>)")
    .option("--max-cost <usd>", "stop making model calls once this much USD was spent (exit 3, run log kept)")
    .addOption(
      new Option("--cache <mode>", "model answer cache mode (overrides the bench file's cache.mode)").choices([
        "read-write",
        "read-only",
        "off",
        "replay-only",
      ]),
    )
    .option(
      "--batch",
      "send model calls through the providers' batch APIs: half the price, answers within hours (sets batch.enabled)",
    )
    .option("--resume <run-dir>", "resume the interrupted run in this folder: redo only what its log lacks")
    .option("--retry-errors", "with --resume: redo the units recorded as failed too")
    .option(
      "--shard <i/n>",
      "run only shard i of n (1-based, e.g. 2/3), chosen by a hash of each conversation id; combine the shards' runs with merge",
    )
    .option("--json", "print report.json instead of the summary")
    .action(async (bench: string | undefined, options: Record<string, string | boolean | undefined>) => {
      const { runHere, runInWorker } = await import("../stop-run.js");
      // The built CLI runs the bench in a worker thread, so a signal is answered at once whatever the run is doing.
      setExit(io.runWorker ? await runInWorker(io.runWorker, bench, options, io) : await runHere(bench, options, io));
    });
};
