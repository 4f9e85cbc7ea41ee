// The spawn floor of the command workload: the same program started as many times, as many at once,
// with the same input, by a Node process that does nothing else. Prints {wall_ms} as JSON.
// Usage: node spawn-floor.mjs '{"command": [...], "input": "...", "units": 800, "concurrency": 16}'
import { spawn } from "node:child_process";

const { command, input, units, concurrency } = JSON.parse(process.argv[2]);

function runOnce() {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "pipe"], detached: true });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stdin.on("error", () => {});
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${command[0]} exited ${code}`)),
    );
    child.stdin.end(input);
  });
}

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next++ < units) await runOnce();
  }),
);
process.stdout.write(`${JSON.stringify({ wall_ms: performance.now() - started })}\n`);
