#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";
import { redact } from "../text/redact.js";
import { describeError } from "./error-message.js";
import { processIo } from "./io.js";
import { main } from "./main.js";

// A failure nothing caught (a callback's throw, a promise nobody awaited) leaves through the same
// redaction as everything else the process prints, as a command that could not finish (exit 3): not
// as Node's bare stack and exit 1, which would read as a failed gate.
const lastResort = (error: unknown) => {
  process.stderr.write(redact(describeError(error).text));
  process.exit(3);
};
process.on("uncaughtException", lastResort);
process.on("unhandledRejection", lastResort);

// V8 flags the CLI sets unless node was given them (on its command line or in NODE_OPTIONS). They are
// read when a heap is made, so they hold for the run's worker thread, where the run's memory is.
// - The heap may grow 30% over what was live after each full collection, no more: by default V8 lets
//   a fast-allocating process grow it up to four times that before it collects again, and 100,000
//   conversations peaked at 500 MiB (120 MiB live). The collections this adds cost about 1% of a large run.
// - The young generation's semi-spaces stay at 8 MiB (V8's default lets them grow to 16 MiB on a
//   64-bit machine): the retrieval simulation makes and drops a store's memories as objects, and with
//   the larger young generation 100,000 conversations peaked at 432-437 MiB, against 354 MiB with it,
//   for the same CPU time.
const FLAGS: Array<[RegExp, string]> = [
  [/--heap[-_]growing[-_]percent/, "--heap-growing-percent=30"],
  [/--max[-_]semi[-_]space[-_]size/, "--max-semi-space-size=8"],
];
for (const [given, flag] of FLAGS) {
  if (!process.execArgv.some((arg) => given.test(arg)) && !given.test(process.env.NODE_OPTIONS ?? ""))
    setFlagsFromString(flag);
}

process.exitCode = await main(process.argv.slice(2), {
  ...processIo(),
  runWorker: new URL("./run-worker.js", import.meta.url),
});
