import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { EarlyRunWorker } from "../../src/cli/early-run-worker.js";
import { runInWorker } from "../../src/cli/stop-run.js";
import { REPO, tempDir } from "./helpers.js";

const BUILT = join(REPO, "dist/cli");

/** A run handed to `early` through runInWorker: its exit code and what it printed. */
async function runOn(early: EarlyRunWorker): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runInWorker(
    early,
    undefined,
    {},
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {}, isTTY: false },
  );
  return { code, stdout, stderr };
}

describe("the run's thread started before the command line is read", () => {
  it("does not hold the process open when no run adopts it", async () => {
    // The built worker loads the run's modules, then waits for its run: the process must end once its own work is done.
    const script = join(tempDir("eb-early-"), "early.mjs");
    writeFileSync(
      script,
      `import { EarlyRunWorker } from ${JSON.stringify(pathToFileURL(join(BUILT, "early-run-worker.js")).href)};
const early = new EarlyRunWorker(new URL(${JSON.stringify(pathToFileURL(join(BUILT, "run-worker.js")).href)}));
early.thread.on("error", (error) => process.stdout.write(String(error)));
// This process's own work: it lasts until the thread runs, then ends.
const work = setInterval(() => {}, 1000);
early.thread.on("online", () => {
  clearInterval(work);
  process.stdout.write("done");
});
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"], timeout: 30_000 });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const [code] = await once(child, "close");
    expect({ code, stdout }).toEqual({ code: 0, stdout: "done" });
  });

  it("a thread that ended before its run is said to have, with why, and the run ends with exit 3", async () => {
    const early = new EarlyRunWorker(new URL("data:text/javascript,throw new Error('the run modules are missing')"));
    // (events.once would reject at the thread's error event, which comes first.)
    await new Promise((resolve) => early.thread.once("exit", resolve));
    const { code, stderr } = await runOn(early);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^error: the run could not finish: Error: the run modules are missing/);
  });

  it("a thread that fails after its run adopted it ends the run the same way", async () => {
    const early = new EarlyRunWorker(
      new URL("data:text/javascript,setTimeout(()=>{throw new Error('lost its way')},50)"),
    );
    const { code, stderr } = await runOn(early);
    expect(code).toBe(3);
    expect(stderr).toMatch(/error: the run could not finish: Error: lost its way/);
  });

  it("a run that said it is done ends the command, whatever its thread still holds", async () => {
    // A thread that sends its output and its outcome, then never ends on its own.
    const source = `import { parentPort } from "node:worker_threads";
parentPort.once("message", () => {
  parentPort.postMessage({ type: "out", text: "summary\\n" });
  parentPort.postMessage({ type: "done", code: 1 });
  setInterval(() => {}, 1000);
});`;
    const early = new EarlyRunWorker(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
    const { code, stdout } = await runOn(early);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "summary\n" });
    await early.thread.terminate();
  }, 20_000);
});
