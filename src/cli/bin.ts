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

// The heap may grow 30% over what was live after each full collection, no more: by default V8 lets a
// fast-allocating process grow it up to four times that before it collects again, and 100,000
// conversations peaked at 500 MiB (120 MiB live) where they now stay under 400 without a heap flag.
// The collections this adds cost about 1% of a large run. A flag given to node still wins.
const HEAP_GROWTH_FLAG = /--heap[-_]growing[-_]percent/;
if (
  !process.execArgv.some((flag) => HEAP_GROWTH_FLAG.test(flag)) &&
  !HEAP_GROWTH_FLAG.test(process.env.NODE_OPTIONS ?? "")
)
  setFlagsFromString("--heap-growing-percent=30");

process.exitCode = await main(process.argv.slice(2), {
  ...processIo(),
  runWorker: new URL("./run-worker.js", import.meta.url),
});
