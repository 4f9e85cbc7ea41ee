// The benchmark suite (npm run bench): the bench's own cost, measured against targets. Separate from
// the tests: a slow machine prints a missed target, it does not break CI.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset } from "./generate.mjs";
import { runLatencyWorkloads } from "./latency.mjs";

const REPO = new URL("..", import.meta.url).pathname;
const BIN = join(REPO, "dist/cli/bin.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Workloads to run, e.g. BENCH_WORKLOADS=3,4; default all. */
const ONLY = process.env.BENCH_WORKLOADS ? new Set(process.env.BENCH_WORKLOADS.split(",").map(Number)) : undefined;
const enabled = (n) => !ONLY || ONLY.has(n);
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Run a command; wall seconds and peak RSS in MiB (GNU time), or throw when it fails. */
function measure(args, options = {}) {
  const command = TIME ? [TIME, "-f", "BENCH %e %M", process.execPath, ...args] : [process.execPath, ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { encoding: "utf8", env: { ...process.env, CI: "true" }, ...options });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (![0, 1].includes(result.status)) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.slice(-500)}`);
  const line = /BENCH ([\d.]+) (\d+)/.exec(result.stderr ?? "");
  return { wall, rssMiB: line ? Number(line[2]) / 1024 : null };
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: samples.length };
}

function repeat(runs, once) {
  const walls = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const m = once(i);
    walls.push(m.wall);
    if (m.rssMiB !== null) rss.push(m.rssMiB);
  }
  return { wall: summarize(walls), rss: rss.length ? summarize(rss) : null };
}

const work = mkdtempSync(join(tmpdir(), "eb-bench-"));
const results = {};
const targets = [];
const target = (name, value, limit, unit) => targets.push({ name, value, limit, unit, met: value !== null && value <= limit });

// 1. start
if (enabled(1)) {
const demo = join(work, "demo-run");
measure([BIN, "run", join(REPO, "extractor-bench.yaml"), "--out", demo]);
results.node = repeat(RUNS, () => measure(["-e", "0"]));
results.version = repeat(RUNS, () => measure([BIN, "--version"]));
results.help = repeat(RUNS, () => measure([BIN, "--help"]));
results.gate = repeat(RUNS, () => measure([BIN, "gate", join(demo, "report.json")]));
for (const name of ["version", "help", "gate"]) target(`start: ${name} ≤ 2.5 × node -e 0`, results[name].wall.median / results.node.wall.median, 2.5, "×");
}

// 2. instant, and 5. its peak memory
if (enabled(2) || enabled(5)) {
for (const size of [1_000, 10_000]) {
  const inputs = generateDataset(join(work, `set-${size}`), { conversations: size, seed: 7 });
  results[`instant_${size}`] = repeat(size >= 10_000 ? Math.min(RUNS, 3) : RUNS, (i) =>
    measure([BIN, "run", "--baseline", join(REPO, "configs/baseline.yaml"), "--candidate", join(REPO, "configs/candidate.yaml"), "--dataset", inputs.dataset, "--golden", inputs.golden, "--out", join(work, `run-${size}-${i}`)]),
  );
}
const small = results.instant_1000;
const large = results.instant_10000;
target("instant: 1,000 conversations ≤ 1.5 s", small.wall.median, 1.5, "s");
if (small.rss) target("instant: 1,000 conversations ≤ 200 MiB", small.rss.median, 200, "MiB");
target("instant: 10,000 ≤ 10 × the 1,000 time", large.wall.median / small.wall.median, 10, "×");
if (small.rss && large.rss) target("instant: 10,000 ≤ 1.5 × the 1,000 peak RSS", large.rss.median / small.rss.median, 1.5, "×");
}

// 3. latency under a 200 ms model, and 4. the same run again from the cache
const phaseLines = [];
if (enabled(3) || enabled(4)) {
  const runs = Math.min(RUNS, Number(process.env.BENCH_LATENCY_RUNS ?? 3));
  const { latency, cached } = await runLatencyWorkloads({ bin: BIN, work, runs });
  const sample = (wall) => ({ wall, rssMiB: null });
  results.latency_400 = repeat(runs, (i) => sample(latency[i].wall));
  results.cached_400 = repeat(runs, (i) => sample(cached[i].wall));
  const phases = latency[0].phases.map((phase, p) => ({
    name: phase.name,
    units: phase.units,
    calls_per_unit: phase.calls_per_unit,
    ideal_s: phase.ideal_ms / 1000,
    wall_s: summarize(latency.map((run) => run.phases[p].wall_ms / 1000)),
    ratio: summarize(latency.map((run) => run.phases[p].ratio)),
  }));
  const total = { ideal_s: latency[0].total.ideal_ms / 1000, wall_s: summarize(latency.map((run) => run.total.wall_ms / 1000)), ratio: summarize(latency.map((run) => run.total.ratio)) };
  results.latency_phases = { phases, total, requests: latency.map((run) => run.requests), cached_requests: cached.map((run) => run.requests) };
  results.reextraction_estimate = latency.at(-1).reextraction;
  for (const phase of phases) {
    phaseLines.push(`  ${phase.name.padEnd(9)} ${String(phase.units).padStart(4)} units × ${phase.calls_per_unit} calls: ${phase.wall_s.median.toFixed(2)} s over ideal ${phase.ideal_s.toFixed(2)} s = ${phase.ratio.median.toFixed(3)} × (min ${phase.ratio.min.toFixed(3)}, max ${phase.ratio.max.toFixed(3)})`);
    if (enabled(3)) target(`latency: ${phase.name} phase ≤ 1.05 × ideal`, phase.ratio.median, 1.05, "×");
  }
  phaseLines.push(`  total     ${total.wall_s.median.toFixed(2)} s over ideal ${total.ideal_s.toFixed(2)} s = ${total.ratio.median.toFixed(3)} ×; whole process ${results.latency_400.wall.median.toFixed(2)} s`);
  phaseLines.push(`  cached re-run: ${cached.map((run) => run.requests).join(", ")} requests reached the model server`);
  if (enabled(3)) target("latency: total ≤ 1.05 × ideal", total.ratio.median, 1.05, "×");
  if (enabled(4)) {
    target("cached re-run: requests to the model server = 0", Math.max(...cached.map((run) => run.requests)), 0, "requests");
    target("cached re-run ≤ 1.0 s", results.cached_400.wall.median, 1.0, "s");
  }
}

// The table, and the JSON beside the reports.
const row = (name, r) =>
  `${name.padEnd(28)} ${r.wall.median.toFixed(3).padStart(8)} ${r.wall.min.toFixed(3).padStart(8)} ${r.wall.max.toFixed(3).padStart(8)} ${r.rss ? r.rss.median.toFixed(0).padStart(8) : "     n/a"}`;
console.log(`${"workload".padEnd(28)} ${"median s".padStart(8)} ${"min s".padStart(8)} ${"max s".padStart(8)} ${"RSS MiB".padStart(8)}`);
for (const [name, r] of Object.entries(results)) if (r.wall) console.log(row(name, r));
if (phaseLines.length > 0) console.log(`\nlatency (400 conversations, model answers after 200 ms, concurrency 16; median of ${results.latency_400.wall.runs} runs):\n${phaseLines.join("\n")}`);
console.log("");
for (const t of targets) console.log(`${t.met ? "met   " : "MISSED"} ${t.name}: ${t.value === null ? "n/a" : t.value.toFixed(2)} ${t.unit} (target ≤ ${t.limit} ${t.unit})`);
const out = join(REPO, "reports", "bench");
mkdirSync(out, { recursive: true });
const file = join(out, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify({ node: process.version, runs: RUNS, results, targets }, null, 2)}\n`);
console.log(`\nwritten: ${file.slice(REPO.length)}`);

