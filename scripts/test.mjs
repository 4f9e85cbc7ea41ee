// npm test: build dist/ (the tests run the built command line), then type-check, lint and run the
// tests at the same time. The type check and the linter take a few seconds of CPU, which fit into
// the time the test files spend waiting on child processes and servers, instead of adding to it.
// Their output is printed after the tests'; any step that fails fails the command, with its exit code.
// Arguments are passed on to vitest (npm test -- test/cli).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Run an npm script; `capture`: keep its output to print later instead of printing it as it comes. */
function npmRun(script, { capture = false, args = [], env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", script, ...(args.length ? ["--", ...args] : [])], {
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...env },
    });
    let output = "";
    if (capture) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    child.on("error", (error) => resolve({ script, code: 1, output: `${output}${error.message}\n` }));
    child.on("close", (code, signal) => resolve({ script, code: code ?? (signal ? 1 : 0), output }));
  });
}

const build = await npmRun("build");
if (build.code !== 0) process.exit(build.code);

// The tests' temporary folders (run folders, caches, datasets: thousands of them) go under one folder
// of their own, the system's temporary folder for the tests and what they start, removed when they end.
const testsTmp = mkdtempSync(join(tmpdir(), "eb-tests-"));
const [tests, ...checks] = await Promise.all([
  npmRun("vitest", { args: process.argv.slice(2), env: { TMPDIR: testsTmp } }).finally(() => {
    try {
      rmSync(testsTmp, { recursive: true, force: true });
    } catch (error) {
      // A file system a test mounted and could not unmount keeps its folder: said, never a failure.
      process.stdout.write(`\nkept ${testsTmp}: ${error.message}\n`);
    }
  }),
  npmRun("typecheck", { capture: true }),
  npmRun("lint", { capture: true }),
]);
for (const check of checks) {
  process.stdout.write(`\n${check.script}: ${check.code === 0 ? "passed" : `failed (exit ${check.code})`}\n`);
  if (check.code !== 0 || check.output.trim()) process.stdout.write(check.output);
}
process.exit([tests, ...checks].find((step) => step.code !== 0)?.code ?? 0);
