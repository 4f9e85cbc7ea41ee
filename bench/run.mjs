// The benchmark suite (npm run bench): the bench's own cost, measured against targets. Separate from
// the tests: a slow machine prints a missed target, it does not break CI. Every target is a ratio to
// something measured in the same run (node -e 0, an ideal, another workload), and the workloads a
// ratio compares are measured in turns (A B A B), so a machine busy with other work moves both sides.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureCommandRun, measureSpawnFloor, setUpCommandWorkload } from "./command.mjs";
import { generateDataset } from "./generate.mjs";
import { runLatencyWorkloads } from "./latency.mjs";
import { interleave, measure, median, summarize } from "./measure.mjs";
import {
  gateWorkloads,
  measureLargeSet,
  measureLongConversation,
  measureMerge,
  runArgs,
  runArgsWithoutSimulation,
} from "./scale.mjs";

const REPO = new URL("..", import.meta.url).pathname;
const BIN = join(REPO, "dist/cli/bin.js");
/** Rounds of the quick workloads (start, gate); the runs take fewer (see each group). */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HEAVY = Math.min(RUNS, Number(process.env.BENCH_HEAVY_RUNS ?? 3));
/** Workloads to run, e.g. BENCH_WORKLOADS=3,4; default all. */
const ONLY = process.env.BENCH_WORKLOADS ? new Set(process.env.BENCH_WORKLOADS.split(",").map(Number)) : undefined;
const enabled = (...numbers) => numbers.some((n) => !ONLY || ONLY.has(n));
/**
 * The two targets that were absolute seconds, restated against `node -e 0` as measured when they were
 * set (0.055 s): 1,000 conversations in 1.5 s, the cached re-run in 1.0 s. They were set (2026-11-23)
 * on runs without the retrieval simulation, which came later (2026-12-06): they are measured on runs
 * without it, and the simulation has targets of its own, against the same runs with it.
 */
const NODE_WHEN_SET_S = 0.055;
/** The retrieval simulation may at most double a run's time, at every size the bench runs. */
const SIMULATION_LIMIT = 2;

const work = mkdtempSync(join(tmpdir(), "eb-bench-"));
// The work folder holds a few gigabytes (the 100,000-conversation runs): removed when the bench ends,
// however it ends, unless BENCH_KEEP=1 keeps it to look into.
process.on("exit", () => {
  if (process.env.BENCH_KEEP === "1") console.log(`kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
});
const results = {};
const targets = [];
const notes = [];
/** A target: `value` ≤ `limit` (or < when `strict`), both in `unit`. */
const target = (name, value, limit, unit, strict = false) =>
  targets.push({
    name,
    value,
    limit,
    unit,
    strict,
    met: value !== null && Number.isFinite(value) && (strict ? value < limit : value <= limit),
  });
/**
 * `node -e 0`, the reference most targets are stated against. A tenth of a second, it is the sample
 * the machine's noise moves most: each sample is the middle one of three runs back to back.
 */
const nodeStart = () => {
  const runs = [0, 1, 2].map(() => measure(["-e", "0"]));
  const middle = median(runs.map((run) => run.wall));
  return runs.find((run) => run.wall === middle);
};
const started = Date.now();

// 1. start: --version, --help and gate on a report.json, against node -e 0.
if (enabled(1)) {
  const demo = join(work, "demo-run");
  measure([BIN, "run", join(REPO, "extractor-bench.yaml"), "--out", demo]);
  Object.assign(
    results,
    await interleave(RUNS, {
      node: nodeStart,
      version: () => measure([BIN, "--version"]),
      help: () => measure([BIN, "--help"]),
      "gate demo report.json": () => measure([BIN, "gate", join(demo, "report.json")]),
    }),
  );
  for (const name of ["version", "help", "gate demo report.json"])
    target(`start: ${name} ≤ 2.5 × node -e 0`, results[name].wall.median / results.node.wall.median, 2.5, "×");
}

// 2. instant: 1,000 and 10,000 conversations, both configs on rules, heuristic judge, every report
// and the retrieval simulation (the default); 10,000 again without the simulation.
let runDir10k;
const sets = {};
const setOf = (size) => (sets[size] ??= generateDataset(join(work, `set-${size}`), { conversations: size, seed: 7 }));
if (enabled(2, 5)) {
  const instant = await interleave(HEAVY, {
    "node (instant)": nodeStart,
    instant_1000: (round) => measure(runArgs(BIN, setOf(1_000), join(work, `run-1000-${round}`))),
    "instant_1000 (no simulation)": (round) =>
      measure(runArgsWithoutSimulation(BIN, setOf(1_000), join(work, `run-1000-nosim-${round}`))),
    instant_10000: (round) => measure(runArgs(BIN, setOf(10_000), (runDir10k = join(work, `run-10000-${round}`)))),
    "instant_10000 (no simulation)": (round) =>
      measure(runArgsWithoutSimulation(BIN, setOf(10_000), join(work, `run-10000-nosim-${round}`))),
  });
  Object.assign(results, instant);
  const small = results.instant_1000;
  const large = results.instant_10000;
  const smallPlain = results["instant_1000 (no simulation)"];
  const node = results["node (instant)"].wall.median;
  target(
    `instant: 1,000 conversations without the retrieval simulation ≤ 27 × node -e 0 (1.5 s at ${NODE_WHEN_SET_S} s, set before the simulation)`,
    smallPlain.wall.median / node,
    1.5 / NODE_WHEN_SET_S,
    "×",
  );
  target(
    `retrieval simulation: 1,000 conversations ≤ ${SIMULATION_LIMIT} × the run without it`,
    small.wall.median / smallPlain.wall.median,
    SIMULATION_LIMIT,
    "×",
  );
  notes.push(
    `1,000 conversations with the retrieval simulation: ${(small.wall.median / node).toFixed(1)} × node -e 0 (${small.wall.median.toFixed(2)} s against ${node.toFixed(3)} s)`,
  );
  if (small.rss) target("instant: 1,000 conversations ≤ 200 MiB peak", small.rss.median, 200, "MiB");
  target("instant: 10,000 ≤ 10 × the 1,000 time", large.wall.median / small.wall.median, 10, "×");
  if (small.rss && large.rss)
    target("instant: 10,000 ≤ 1.5 × the 1,000 peak RSS", large.rss.median / small.rss.median, 1.5, "×");
  const plain = results["instant_10000 (no simulation)"];
  target(
    `retrieval simulation: 10,000 conversations ≤ ${SIMULATION_LIMIT} × the run without it`,
    large.wall.median / plain.wall.median,
    SIMULATION_LIMIT,
    "×",
  );
}

// 5. gate on a 10,000-conversation run folder (its sealed report.json) against gate on the report.json itself.
if (enabled(5)) {
  const gate = await interleave(RUNS, gateWorkloads({ bin: BIN, runDir: runDir10k }));
  Object.assign(results, gate);
  const rebuilt = gate["gate RUN_DIR"].samples.filter((s) => s.rebuilt).length;
  if (rebuilt > 0)
    notes.push(
      `gate RUN_DIR rebuilt the report from the run log in ${rebuilt} of ${gate["gate RUN_DIR"].samples.length} runs`,
    );
  target(
    "gate RUN_DIR ≤ 1.5 × gate report.json (10,000 conversations)",
    gate["gate RUN_DIR"].wall.median / gate["gate report.json"].wall.median,
    1.5,
    "×",
  );
  const report = await interleave(Math.min(HEAVY, 2), { "report RUN_DIR": () => measure([BIN, "report", runDir10k]) });
  Object.assign(results, report);
  notes.push(
    `report RUN_DIR (10,000 conversations, every report from the run log): ${(report["report RUN_DIR"].wall.median / results.instant_10000.wall.median).toFixed(2)} × the 10,000-conversation run`,
  );
}

// 3. latency under a 200 ms model, and 4. the same run again from the cache, in turns; node -e 0 beside them.
const phaseLines = [];
if (enabled(3, 4)) {
  const nodeSamples = [];
  const { latency, cached, cachedPlain } = await runLatencyWorkloads({
    bin: BIN,
    work,
    runs: HEAVY,
    eachRound: async () => void nodeSamples.push(nodeStart().wall),
  });
  const sample = (wall) => ({ wall, rssMiB: null });
  const summary = (list) => ({ wall: summarize(list.map((s) => s.wall)), rss: null, samples: list });
  results.latency_400 = summary(latency.map((run) => sample(run.wall)));
  results.cached_400 = summary(cached.map((run) => sample(run.wall)));
  results["cached_400 (no simulation)"] = summary(cachedPlain.map((run) => sample(run.wall)));
  results["node (latency)"] = summary(nodeSamples.map(sample));
  const phases = latency[0].phases.map((phase, p) => ({
    name: phase.name,
    units: phase.units,
    rounds: phase.rounds,
    calls_per_unit: phase.calls_per_unit,
    ideal_s: phase.ideal_ms / 1000,
    wall_s: summarize(latency.map((run) => run.phases[p].wall_ms / 1000)),
    ratio: summarize(latency.map((run) => run.phases[p].ratio)),
    floor_s: summarize(latency.map((run) => run.phases[p].floor_ms / 1000)),
    ratio_floor: summarize(latency.map((run) => run.phases[p].ratio_floor)),
  }));
  const total = {
    ideal_s: latency[0].total.ideal_ms / 1000,
    wall_s: summarize(latency.map((run) => run.total.wall_ms / 1000)),
    ratio: summarize(latency.map((run) => run.total.ratio)),
    floor_s: summarize(latency.map((run) => run.total.floor_ms / 1000)),
    ratio_floor: summarize(latency.map((run) => run.total.ratio_floor)),
  };
  results.latency_phases = {
    phases,
    total,
    requests: latency.map((run) => run.requests),
    cached_requests: [...cached, ...cachedPlain].map((run) => run.requests),
  };
  results.reextraction_estimate = latency.at(-1).reextraction;
  const floorText = (item) =>
    `SDK floor ${item.floor_s.median.toFixed(2)} s = ${(item.floor_s.median / item.ideal_s).toFixed(3)} × ideal; ${item.ratio_floor.median.toFixed(3)} × the larger`;
  const latencyTarget = (name) =>
    `latency: ${name} ≤ 1.05 × ideal, or × the SDK floor when the same calls alone take longer`;
  for (const phase of phases) {
    phaseLines.push(
      `  ${phase.name.padEnd(9)} ${String(phase.units).padStart(4)} units${phase.rounds.length > 1 ? ` in rounds of ${phase.rounds.join(" + ")}` : ""} × ${phase.calls_per_unit} calls: ${phase.wall_s.median.toFixed(2)} s over ideal ${phase.ideal_s.toFixed(2)} s = ${phase.ratio.median.toFixed(3)} × (min ${phase.ratio.min.toFixed(3)}, max ${phase.ratio.max.toFixed(3)}); ${floorText(phase)}`,
    );
    if (enabled(3)) target(latencyTarget(`${phase.name} phase`), phase.ratio_floor.median, 1.05, "×");
  }
  phaseLines.push(
    `  total     ${total.wall_s.median.toFixed(2)} s over ideal ${total.ideal_s.toFixed(2)} s = ${total.ratio.median.toFixed(3)} ×; ${floorText(total)}; whole process ${results.latency_400.wall.median.toFixed(2)} s`,
  );
  phaseLines.push(
    `  cached re-run: ${cached.map((run) => run.requests).join(", ")} requests reached the model server; without the retrieval simulation: ${cachedPlain.map((run) => run.requests).join(", ")}`,
  );
  if (enabled(3)) target(latencyTarget("total"), total.ratio_floor.median, 1.05, "×");
  if (enabled(4)) {
    const nodeS = results["node (latency)"].wall.median;
    const plainS = results["cached_400 (no simulation)"].wall.median;
    target(
      "cached re-run: requests to the model server = 0",
      Math.max(...[...cached, ...cachedPlain].map((run) => run.requests)),
      0,
      "requests",
    );
    target(
      `cached re-run without the retrieval simulation ≤ 18 × node -e 0 (1.0 s at ${NODE_WHEN_SET_S} s, set before the simulation)`,
      plainS / nodeS,
      1 / NODE_WHEN_SET_S,
      "×",
    );
    target(
      `retrieval simulation: the cached re-run ≤ ${SIMULATION_LIMIT} × the re-run without it`,
      results.cached_400.wall.median / plainS,
      SIMULATION_LIMIT,
      "×",
    );
    notes.push(
      `cached re-run with the retrieval simulation: ${(results.cached_400.wall.median / nodeS).toFixed(1)} × node -e 0 (${results.cached_400.wall.median.toFixed(2)} s against ${nodeS.toFixed(3)} s)`,
    );
  }
}

// 6. the command extractor under latency, in turns with the spawn floor.
const commandLines = [];
if (enabled(6)) {
  const setup = setUpCommandWorkload({ work });
  const command = await interleave(HEAVY, {
    "command: spawn floor": () => measureSpawnFloor({ setup }),
    command_400: (round) => measureCommandRun({ bin: BIN, work, setup, round }),
  });
  Object.assign(results, command);
  const idealS = setup.idealMs / 1000;
  const bench = summarize(command.command_400.samples.map((s) => s.phaseS)).median;
  const floor = summarize(command["command: spawn floor"].samples.map((s) => s.phaseS)).median;
  const failed = command.command_400.samples.reduce((sum, s) => sum + s.failed, 0);
  results.command_phases = {
    ideal_s: idealS,
    dry_run_s: bench,
    floor_s: floor,
    program: setup.program,
    failed_units: failed,
  };
  commandLines.push(
    `  program: ${setup.program}, ${setup.units} units, 16 at once; ideal ${idealS.toFixed(2)} s (${setup.units / 16} rounds of 200 ms)`,
  );
  commandLines.push(
    `  spawn floor: ${floor.toFixed(2)} s = ${(floor / idealS).toFixed(3)} × ideal (the same programs started by ${setup.floorBy === "xargs" ? "xargs -P 16" : "a bare Node process"})`,
  );
  commandLines.push(
    `  dry runs:    ${bench.toFixed(2)} s = ${(bench / idealS).toFixed(3)} × ideal, ${(bench / floor).toFixed(3)} × the floor${failed ? `; ${failed} units FAILED` : ""}`,
  );
  target(
    "command: dry runs ≤ 1.2 × ideal, or × the spawn floor when starting the programs alone takes longer",
    bench / Math.max(idealS, floor),
    1.2,
    "×",
  );
}

// 7. merge of three shards of 10,000 conversations against the run of one shard, in turns.
if (enabled(7)) {
  const { shardRuns, mergeRuns } = measureMerge({ bin: BIN, work, merges: Math.min(HEAVY, 2) });
  const summary = (list) => ({
    wall: summarize(list.map((s) => s.wall)),
    rss: summarize(list.map((s) => s.rssMiB).filter((v) => v !== null)),
    samples: list,
  });
  results["shard run (10,000 of 30,000)"] = summary(shardRuns);
  results["merge 3 × 10,000"] = summary(mergeRuns);
  target(
    "merge of 3 × 10,000 ≤ 1 × one 10,000 shard's run",
    results["merge 3 × 10,000"].wall.median / results["shard run (10,000 of 30,000)"].wall.median,
    1,
    "×",
  );
}

// 8. 100,000 conversations and 9. one conversation of 100,000 turns, with no heap flag.
if (enabled(8)) {
  const { withSimulation, without } = measureLargeSet({ bin: BIN, work });
  results.large_100000 = interleaveOnce(withSimulation);
  results["large_100000 (no simulation)"] = interleaveOnce(without);
  target(
    "100,000 conversations < 400 MiB peak, no heap flag",
    results.large_100000.rss?.median ?? null,
    400,
    "MiB",
    true,
  );
  target(
    "retrieval simulation: 100,000 conversations ≤ 2 × the run without it",
    withSimulation.wall / without.wall,
    2,
    "×",
  );
  if (withSimulation.rssMiB !== null && without.rssMiB !== null)
    notes.push(
      `100,000 conversations: peak ${withSimulation.rssMiB.toFixed(0)} MiB with the retrieval simulation, ${without.rssMiB.toFixed(0)} MiB without`,
    );
}
if (enabled(9)) {
  results.long_conversation_100000_turns = { ...interleaveOnce(measureLongConversation({ bin: BIN, work })) };
  target(
    "one conversation of 100,000 turns < 400 MiB peak, no heap flag",
    results.long_conversation_100000_turns.rss?.median ?? null,
    400,
    "MiB",
    true,
  );
}

// 10. the judge's economy: requests and input tokens per conversation by task against a loopback
// server that plays the prompt cache, set against the floor (each conversation read once per config
// by the extractor and once by the judge).
let economyText = "";
if (enabled(10)) {
  const { judgeEconomyWorkload } = await import("./judge-economy.mjs");
  const economy = await judgeEconomyWorkload(Number(process.env.ECONOMY_CONVERSATIONS ?? 100));
  economyText = economy.text;
  results.judge_economy = { effective_input_x_floor: economy.judgeEffective };
  target(
    "judge: effective input on 200-turn conversations ≤ 2.5 × the floor",
    economy.judgeEffective,
    economy.target,
    "×",
  );
}

/** One sample as a summary. */
function interleaveOnce(sample) {
  return {
    wall: summarize([sample.wall]),
    rss: sample.rssMiB === null ? null : summarize([sample.rssMiB]),
    samples: [sample],
  };
}

// The table, and the JSON beside the reports.
const row = (name, r) =>
  `${name.padEnd(30)} ${r.wall.median.toFixed(3).padStart(8)} ${r.wall.min.toFixed(3).padStart(8)} ${r.wall.max.toFixed(3).padStart(8)} ${String(r.wall.runs).padStart(4)} ${r.rss ? r.rss.median.toFixed(0).padStart(8) : "     n/a"}`;
console.log(
  `${"workload".padEnd(30)} ${"median s".padStart(8)} ${"min s".padStart(8)} ${"max s".padStart(8)} ${"runs".padStart(4)} ${"RSS MiB".padStart(8)}`,
);
for (const [name, r] of Object.entries(results)) if (r?.wall) console.log(row(name, r));
if (phaseLines.length > 0)
  console.log(
    `\nlatency (400 conversations, model answers after 200 ms, concurrency 16; median of ${results.latency_400.wall.runs} runs):\n${phaseLines.join("\n")}`,
  );
if (commandLines.length > 0)
  console.log(
    `\ncommand extractor (400 conversations, a program that waits 200 ms; median of ${results.command_400.wall.runs} runs):\n${commandLines.join("\n")}`,
  );
if (economyText) console.log(`\n${economyText}`);
if (notes.length > 0) console.log(`\n${notes.join("\n")}`);
console.log("");
for (const t of targets)
  console.log(
    `${t.met ? "met   " : "MISSED"} ${t.name}: ${t.value === null ? "n/a" : t.value.toFixed(2)} ${t.unit} (target ${t.strict ? "<" : "≤"} ${Number(t.limit.toFixed(2))} ${t.unit})`,
  );
const loadavg = (await import("node:os"))
  .loadavg()
  .map((v) => v.toFixed(2))
  .join(" ");
console.log(
  `\n${Math.round((Date.now() - started) / 1000)} s; load average at the end ${loadavg} on ${(await import("node:os")).availableParallelism()} cores`,
);
const out = join(REPO, "reports", "bench");
mkdirSync(out, { recursive: true });
const file = join(out, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
const stripOutput = (key, value) => (key === "stdout" || key === "stderr" ? undefined : value);
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, runs: RUNS, heavy_runs: HEAVY, loadavg, results, targets, notes }, stripOutput, 2)}\n`,
);
console.log(`written: ${file.slice(REPO.length)}`);
