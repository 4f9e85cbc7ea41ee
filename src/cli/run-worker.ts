import { parentPort, workerData } from "node:worker_threads";
import { redact } from "../text/redact.js";
import { describeError } from "./error-message.js";
import type { CliIo } from "./io.js";
import { runCommand } from "./run-command.js";
import type { RunWorkerData } from "./stop-run.js";

// The worker thread of `run` (see runInWorker): the run itself, its output sent to the main thread,
// which answers signals and tells it to stop.
const port = parentPort!;
// A thread made for its run is given it at once; one started early (EarlyRunWorker) is told it once a run adopts it.
const data =
  (workerData as RunWorkerData | undefined) ??
  (await new Promise<RunWorkerData>((resolve) =>
    port.once("message", (message: { type: "start"; data: RunWorkerData }) => resolve(message.data)),
  ));
const controller = new AbortController();
port.on("message", (message: { type: string; signal?: string }) => {
  if (message.type === "stop") controller.abort(message.signal);
});
// The port alone does not keep the worker alive: it ends once the run has.
port.unref();
// Keys this thread read (model keys, header values) are known to its redaction only: text is redacted here.
const io: CliIo = {
  stdout: (text) => port.postMessage({ type: "out", text: redact(text) }),
  stderr: (text) => port.postMessage({ type: "err", text: redact(text) }),
  env: process.env,
  isTTY: data.isTTY,
  ...(data.stdoutIsTTY === undefined ? {} : { stdoutIsTTY: data.stdoutIsTTY }),
};
try {
  const code = await runCommand(data.bench, data.options, io, {
    signal: controller.signal,
    onRunDir: (dir) => port.postMessage({ type: "run_dir", dir }),
    // Units in flight get up to half the stop deadline, the partial reports the rest.
    stopGraceMs: data.stopDeadlineMs / 2,
  });
  port.postMessage({ type: "done", code });
} catch (error) {
  const { code, text } = describeError(error);
  port.postMessage({ type: "done", code, text: redact(text) });
}
