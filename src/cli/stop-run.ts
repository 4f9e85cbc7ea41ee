import type { Worker } from "node:worker_threads";
import type { EarlyRunWorker } from "./early-run-worker.js";
import { resumeCommand, type RunInputs } from "../run/resume-command.js";
import { releaseAbandonedLock, removeTemporaryFiles, runLogFinished } from "../run/run-folder.js";
import { displayPath } from "../text/display-path.js";
import { describeError } from "./error-message.js";
import type { CliIo } from "./io.js";
import { onOwnLine } from "./progress.js";
import { checkRunOptions, runCommand, type RunCommandOptions } from "./run-command.js";

/**
 * How a run ends on SIGINT or SIGTERM. The first signal stops it: no new unit starts, units in
 * flight get a moment to finish, what finished is kept and the reports are written marked partial.
 * The run is over within the stop deadline of the signal (this, or EXTRACTOR_BENCH_STOP_MS) whatever
 * it was doing (a long unit, the reports of a large run): past it, or at a second signal, it is
 * ended where it stands, its log whole up to its last line, and the command that resumes it (or
 * writes its reports) is printed.
 */
export const DEFAULT_STOP_DEADLINE_MS = 750;
/**
 * The environment variable that gives a stopped run longer (ms): units in flight get up to half of
 * it to finish, the partial reports the rest.
 */
export const STOP_DEADLINE_ENV = "EXTRACTOR_BENCH_STOP_MS";

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

export function stopDeadlineMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env[STOP_DEADLINE_ENV]);
  return env[STOP_DEADLINE_ENV] !== undefined && Number.isFinite(value) && value >= 0
    ? value
    : DEFAULT_STOP_DEADLINE_MS;
}

const exitCodeOf = (signal: string) => (signal === "SIGTERM" ? 143 : 130);

/** Written through onOwnLine: an open progress line is cleared first. */
function stoppingLine(signal: string): string {
  return `${signal}: stopping; units in flight get a moment to finish (${signal === "SIGINT" ? "press Ctrl-C again" : "send it again"} to quit now)\n`;
}

/** The inputs `run` was given, as a resume command repeats them. */
function inputsOf(bench: string | undefined, options: RunCommandOptions): RunInputs {
  const text = (value: string | boolean | undefined) => (typeof value === "string" ? value : undefined);
  return {
    benchFile: bench,
    baseline: text(options.baseline),
    candidate: text(options.candidate),
    dataset: text(options.dataset),
    golden: text(options.golden),
    labels: text(options.labels),
    judge: text(options.judge),
    cacheMode: text(options.cache),
  };
}

/** What a run ended by force leaves, and the command that goes on from there. */
function forcedLine(
  signal: string,
  why: "again" | "deadline",
  bench: string | undefined,
  options: RunCommandOptions,
  runDir: string | undefined,
): string {
  const how = why === "again" ? `stopped by ${signal} (a second time): quitting now` : `stopped by ${signal}`;
  if (!runDir) return `${how}, before the run started: nothing was written.\n`;
  const shown = displayPath(runDir);
  if (runLogFinished(runDir)) {
    return `${how}, while the reports were written: the run finished and its log in ${shown} is complete. Write its reports with: extractor-bench report ${shown}\n`;
  }
  return (
    `${how}: every unit logged in ${shown} is kept (the partial reports were not all written: extractor-bench report ${shown} writes them). ` +
    `Resume with: ${resumeCommand(inputsOf(bench, options), runDir)}\n`
  );
}

/** Listen for SIGINT and SIGTERM until `dispose`; `onSignal` is told each one and how many came before. */
function onStopSignals(onSignal: (signal: NodeJS.Signals, count: number) => void): () => void {
  let count = 0;
  const listener = (signal: NodeJS.Signals) => onSignal(signal, count++);
  for (const name of STOP_SIGNALS) process.on(name, listener);
  return () => {
    for (const name of STOP_SIGNALS) process.off(name, listener);
  };
}

/**
 * `run` on this thread (the library's CLI called in-process): the first signal stops the run, a
 * second quits at once with the resume command. A run busy in a long stretch of work sees the stop
 * only when it next hands the event loop a turn; the built CLI runs it in a worker (runInWorker).
 */
export async function runHere(bench: string | undefined, options: RunCommandOptions, given: CliIo): Promise<number> {
  const io: CliIo = { ...given, stderr: onOwnLine(given.stderr) };
  const controller = new AbortController();
  let runDir: string | undefined;
  const dispose = onStopSignals((signal, count) => {
    if (count === 0) {
      io.stderr(stoppingLine(signal));
      controller.abort(signal);
      return;
    }
    io.stderr(forcedLine(signal, "again", bench, options, runDir));
    process.exit(exitCodeOf(signal));
  });
  try {
    return await runCommand(bench, options, io, { signal: controller.signal, onRunDir: (dir) => (runDir = dir) });
  } finally {
    dispose();
  }
}

const ENDED_WITHOUT_A_WORD = "error: the run could not finish: its worker thread ended without a word\n";

/** A message from the run's worker. */
type FromWorker =
  | { type: "out" | "err"; text: string }
  | { type: "run_dir"; dir: string }
  | { type: "done"; code: number; text?: string };

/** What the worker is started with. */
export interface RunWorkerData {
  bench: string | undefined;
  options: RunCommandOptions;
  isTTY: boolean;
  stdoutIsTTY: boolean | undefined;
  stopDeadlineMs: number;
}

/**
 * `run` in a worker thread, this thread left free to answer signals at once: the worker is told to
 * stop at the first signal, and ended where it stands at a second one or at the stop deadline.
 */
export async function runInWorker(
  workerModule: URL | EarlyRunWorker,
  bench: string | undefined,
  options: RunCommandOptions,
  given: CliIo,
): Promise<number> {
  checkRunOptions(options);
  // The worker's progress lines and this thread's stop messages share stderr.
  const io: CliIo = { ...given, stderr: onOwnLine(given.stderr) };
  const deadlineMs = stopDeadlineMs(io.env);
  const data: RunWorkerData = {
    bench,
    options,
    isTTY: io.isTTY,
    stdoutIsTTY: io.stdoutIsTTY,
    stopDeadlineMs: deadlineMs,
  };
  let worker: Worker;
  if (workerModule instanceof URL) {
    const { Worker } = await import("node:worker_threads");
    worker = new Worker(workerModule, { workerData: data });
  } else {
    const adopted = workerModule.adopt(data);
    if ("ended" in adopted) {
      const { error } = adopted.ended;
      const { code, text } = error === undefined ? { code: 3, text: ENDED_WITHOUT_A_WORD } : describeError(error);
      io.stderr(text);
      return code;
    }
    worker = adopted.thread;
  }
  let runDir: string | undefined;
  let outcome: { code: number; text?: string } | undefined;
  let forced = false;
  let deadline: NodeJS.Timeout | undefined;
  return new Promise<number>((resolveExit) => {
    let dispose = () => {};
    const end = (code: number) => {
      dispose();
      clearTimeout(deadline);
      resolveExit(code);
    };
    const force = (signal: NodeJS.Signals, why: "again" | "deadline") => {
      if (forced || outcome) return;
      forced = true;
      void worker.terminate().then(() => {
        if (runDir) {
          releaseAbandonedLock(runDir);
          removeTemporaryFiles(runDir, process.pid);
        }
        io.stderr(forcedLine(signal, why, bench, options, runDir));
        end(exitCodeOf(signal));
      });
    };
    dispose = onStopSignals((signal, count) => {
      if (count > 0) return force(signal, "again");
      io.stderr(stoppingLine(signal));
      worker.postMessage({ type: "stop", signal });
      deadline = setTimeout(() => force(signal, "deadline"), deadlineMs);
    });
    let finished = false;
    const finish = () => {
      finished = true;
      if (!outcome) io.stderr(ENDED_WITHOUT_A_WORD);
      else if (outcome.text) io.stderr(outcome.text);
      end(outcome?.code ?? 3);
    };
    worker.on("message", (message: FromWorker) => {
      if (forced) return;
      if (message.type === "out") io.stdout(message.text);
      else if (message.type === "err") io.stderr(message.text);
      else if (message.type === "run_dir") runDir = message.dir;
      else if (message.type === "done") {
        // The run is over, its files written and its output sent: the command ends without waiting for
        // the thread to wind down (its exit came 40-60 ms after its last word), which no longer holds the process.
        outcome = message;
        worker.unref();
        finish();
      }
    });
    worker.on("error", (error) => {
      if (forced || finished) return;
      outcome = describeError(error);
    });
    worker.on("exit", () => {
      if (forced || finished) return;
      finish();
    });
  });
}
