// How the benchmark suite measures: wall time and peak memory of one command, summaries of several,
// and workloads measured in turns (A B A B), so a change of load on the machine falls on every
// workload of a group alike and the ratios between them hold.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** `node args…` (or a command when `command` is given); wall seconds, peak RSS in MiB (GNU time) and its output, or throw when it fails. */
export function measure(args, { command = process.execPath, env = {}, cwd, okCodes = [0, 1] } = {}) {
  const argv = TIME ? [TIME, "-f", "BENCH %e %M", command, ...args] : [command, ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), {
    encoding: "utf8",
    env: { ...process.env, CI: "true", ...env },
    cwd,
    maxBuffer: 64 << 20,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (!okCodes.includes(result.status))
    throw new Error(`${args.join(" ")} exited ${result.status}: ${(result.stderr ?? "").slice(-800)}`);
  const line = /BENCH ([\d.]+) (\d+)/.exec(result.stderr ?? "");
  return { wall, rssMiB: line ? Number(line[2]) / 1024 : null, stdout: result.stdout, stderr: result.stderr ?? "" };
}

/** Like measure, without blocking this process (a server it runs answers the command); wall seconds. */
export function measureAsync(args, { env = {}, okCodes = [0, 1] } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, CI: "true", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (okCodes.includes(code)) resolve({ wall, rssMiB: null });
      else reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(-800)}`));
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(values) {
  if (values.length === 0) return null;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/**
 * Measure the workloads of a group in turns: `rounds` rounds, each taking one sample of every
 * workload in order (A B A B …). `workloads`: name → (round) => sample | Promise<sample>, a sample
 * being `{wall, rssMiB}` (or null to take none that round). Returns name → {wall, rss} summaries and the samples.
 */
export async function interleave(rounds, workloads) {
  const samples = Object.fromEntries(Object.keys(workloads).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, once] of Object.entries(workloads)) {
      const sample = await once(round);
      if (sample) samples[name].push(sample);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      {
        wall: summarize(list.map((s) => s.wall)),
        rss: summarize(list.flatMap((s) => (s.rssMiB === null || s.rssMiB === undefined ? [] : [s.rssMiB]))),
        samples: list,
      },
    ]),
  );
}
