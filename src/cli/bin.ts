#!/usr/bin/env node
import { redact } from "../text/redact.js";
import { describeError } from "./error-message.js";
import { limitHeapGrowth } from "./heap-flag.js";
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

limitHeapGrowth();

process.exitCode = await main(process.argv.slice(2), {
  ...processIo(),
  runWorker: new URL("./run-worker.js", import.meta.url),
});
