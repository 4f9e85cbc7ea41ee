#!/usr/bin/env node
import { redact } from "../text/redact.js";
import { describeError } from "./error-message.js";
import { EarlyRunWorker } from "./early-run-worker.js";
import { limitHeapGrowth } from "./heap-flag.js";
import { processIo } from "./io.js";

// A failure nothing caught (a callback's throw, a promise nobody awaited) leaves through the same
// redaction as everything else the process prints, as a command that could not finish (exit 3): not
// as Node's bare stack and exit 1, which would read as a failed gate.
const lastResort = (error: unknown) => {
  process.stderr.write(redact(describeError(error).text));
  process.exit(3);
};
process.on("uncaughtException", lastResort);
process.on("unhandledRejection", lastResort);

// Before the worker is made: V8 reads its flags when a heap is.
limitHeapGrowth();

// `run` starts its thread before the rest of the command line is loaded (see EarlyRunWorker); not
// to print its help, which would then wait for the thread to be stopped at exit.
const runWorkerUrl = new URL("./run-worker.js", import.meta.url);
const args = process.argv.slice(2);
const asksHelp = args.includes("--help") || args.includes("-h");
const runWorker = args[0] === "run" && !asksHelp ? new EarlyRunWorker(runWorkerUrl) : runWorkerUrl;
const { main } = await import("./main.js");

process.exitCode = await main(args, { ...processIo(), runWorker });
