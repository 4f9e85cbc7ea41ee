// The kill-and-resume stress test (npm run stress): runs of the built CLI killed with SIGKILL at seeded
// points, each resumed at once (often while the killed process is still dying), again and again,
// on a machine kept busy by a CPU burner on every core; every finished run's log is checked for a
// unit logged twice and its report compared with an uninterrupted run's. Then Ctrl-C and SIGTERM
// sent to an offline run of 100,000 conversations, timed to the process's exit.
//
// A benchmark, not a unit test: it takes minutes and prints its figures. Settings (environment):
// STRESS_SEED (default 21), STRESS_OFFLINE_TRIALS (20), STRESS_MODEL_TRIALS (15), STRESS_KILLS_PER_TRIAL (3),
// STRESS_OFFLINE_CONVERSATIONS (2000), STRESS_MODEL_CONVERSATIONS (120), STRESS_STOP_CONVERSATIONS
// (100000; 0 skips the stop timings), STRESS_STOP_TRIALS (4), STRESS_BURNERS (one per core).
import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset } from "../bench/generate.mjs";
import { startModelServer } from "../bench/model-server.mjs";

const REPO = new URL("..", import.meta.url).pathname;
const BIN = join(REPO, "dist/cli/bin.js");
const setting = (name, fallback) => Number(process.env[name] ?? fallback);
const SEED = setting("STRESS_SEED", 21);
const OFFLINE_TRIALS = setting("STRESS_OFFLINE_TRIALS", 20);
const MODEL_TRIALS = setting("STRESS_MODEL_TRIALS", 15);
const KILLS_PER_TRIAL = setting("STRESS_KILLS_PER_TRIAL", 3);
const OFFLINE_CONVERSATIONS = setting("STRESS_OFFLINE_CONVERSATIONS", 2000);
const MODEL_CONVERSATIONS = setting("STRESS_MODEL_CONVERSATIONS", 120);
const STOP_CONVERSATIONS = setting("STRESS_STOP_CONVERSATIONS", 100_000);
const STOP_TRIALS = setting("STRESS_STOP_TRIALS", 4);
const BURNERS = setting("STRESS_BURNERS", availableParallelism());

if (!existsSync(BIN)) throw new Error("build first: npm run build");

/** mulberry32: the seeded draws of kill points and of whether a resume waits for the killed process. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);

function startCli(args, env = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CI: "true", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited, stderr: () => stderr };
}

/** Records of each kind in a log as it grows, read incrementally. */
class LogWatch {
  constructor(path) {
    this.path = path;
    this.offset = 0;
    this.rest = "";
    this.counts = { records: 0, dry_run: 0, run_end: 0 };
  }
  poll() {
    if (!existsSync(this.path)) return this.counts;
    const fd = openSync(this.path, "r");
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset)
        Object.assign(this, { offset: 0, rest: "", counts: { records: 0, dry_run: 0, run_end: 0 } });
      if (size > this.offset) {
        const buffer = Buffer.alloc(size - this.offset);
        readSync(fd, buffer, 0, buffer.length, this.offset);
        this.offset = size;
        const lines = (this.rest + buffer.toString("utf8")).split("\n");
        this.rest = lines.pop();
        for (const line of lines) {
          this.counts.records++;
          if (line.includes('"kind":"dry_run"')) this.counts.dry_run++;
          if (line.includes('"kind":"run_end"')) this.counts.run_end++;
        }
      }
    } finally {
      closeSync(fd);
    }
    return this.counts;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

/** Every unit a log holds, and the ones it holds more than once. */
function duplicateUnits(logPath) {
  const seen = new Set();
  const twice = [];
  for (const line of readFileSync(logPath, "utf8").split("\n")) {
    if (!line) continue;
    const r = JSON.parse(line);
    const key =
      r.kind === "dry_run"
        ? `dry_run ${r.role} ${r.conversation_id}`
        : r.kind === "judgement"
          ? `${r.task} ${r.role} ${r.conversation_id} ${r.repeat ?? 0}`
          : r.kind === "pairwise"
            ? `pairwise ${r.conversation_id}`
            : undefined;
    if (!key) continue;
    if (seen.has(key)) twice.push(key);
    seen.add(key);
  }
  return { units: seen.size, twice };
}

/** report.json without what differs between any two runs of the same inputs: ids, times, latencies, what was paid. */
function measured(runDir) {
  const VOLATILE = /^(run|model_usage|checksum|reextraction)$|latency|duration|_at$|wall_ms|run_id|cost/;
  const strip = (value) => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !VOLATILE.test(key))
          .map(([key, v]) => [key, strip(v)]),
      );
    return value;
  };
  return JSON.stringify(strip(JSON.parse(readFileSync(join(runDir, "report.json"), "utf8"))));
}

/**
 * One trial: the run, killed KILLS_PER_TRIAL times at seeded points (a number of logged dry runs, or
 * once the log is complete and the reports are being written), each time resumed at once or after
 * the killed process has exited (seeded), then resumed to the end.
 */
async function trial(runArgs, resumeArgs, runDir, totalDryRuns, env) {
  const points = Array.from({ length: KILLS_PER_TRIAL }, () =>
    random() < 0.1 ? totalDryRuns + 1 : 1 + Math.floor(random() * totalDryRuns),
  ).sort((a, b) => a - b);
  const watch = new LogWatch(join(runDir, "run.jsonl"));
  let kills = 0;
  let unwaited = 0;
  let started = startCli(runArgs, env);
  for (const point of points) {
    let finished = false;
    void started.exited.then(() => (finished = true));
    for (;;) {
      const counts = watch.poll();
      if (finished || (point > totalDryRuns ? counts.run_end > 0 : counts.dry_run >= point)) break;
      await tick();
    }
    if (finished) {
      const { code } = await started.exited;
      if (code !== 0 && code !== 1)
        throw new Error(`${runArgs.join(" ")} exited ${code}: ${started.stderr().slice(-800)}`);
      break;
    }
    started.child.kill("SIGKILL");
    kills++;
    // Half the resumes start at once, while the killed process may still be finishing a write.
    if (random() < 0.5) await started.exited;
    else unwaited++;
    started = startCli(resumeArgs, env);
  }
  const { code, stderr } = await started.exited;
  if (code !== 0 && code !== 1) {
    // The last start was killed before it finished, or refused; one more resume finishes it.
    const last = startCli(resumeArgs, env);
    const final = await last.exited;
    if (final.code !== 0 && final.code !== 1)
      throw new Error(`resume exited ${final.code}: ${final.stderr.slice(-800)} (before: ${stderr.slice(-400)})`);
  }
  return { kills, unwaited };
}

async function workload(name, trials, setUp) {
  const { runArgs, resumeArgs, reference, totalDryRuns, env, dir } = await setUp();
  const ref = measured(reference);
  const result = { name, trials: 0, kills: 0, unwaited: 0, duplicates: 0, equal: 0, unequal: [] };
  for (let i = 0; i < trials; i++) {
    const runDir = join(dir, `trial-${i}`);
    const { kills, unwaited } = await trial(
      [...runArgs, "--out", runDir],
      [...resumeArgs, "--resume", runDir],
      runDir,
      totalDryRuns,
      env,
    );
    const { twice } = duplicateUnits(join(runDir, "run.jsonl"));
    result.trials++;
    result.kills += kills;
    result.unwaited += unwaited;
    result.duplicates += twice.length;
    if (twice.length > 0) console.log(`  ${name} trial ${i}: logged twice: ${twice.slice(0, 5).join("; ")}`);
    if (measured(runDir) === ref) result.equal++;
    else result.unequal.push(i);
    process.stdout.write(
      `  ${name} trial ${i + 1}/${trials}: ${kills} kills (${unwaited} resumed at once), ${twice.length} units twice, report ${measured(runDir) === ref ? "equal" : "DIFFERENT"}\n`,
    );
    rmSync(runDir, { recursive: true, force: true });
  }
  return result;
}

/** Ctrl-C or SIGTERM to an offline run at a seeded moment of its dry runs: milliseconds to the process's exit. */
async function stopTimings(dir) {
  const inputs = generateDataset(join(dir, "stop-set"), { conversations: STOP_CONVERSATIONS, seed: 5 });
  const samples = [];
  for (let i = 0; i < STOP_TRIALS; i++) {
    const signal = i % 2 === 0 ? "SIGINT" : "SIGTERM";
    const runDir = join(dir, `stop-${i}`);
    const run = startCli([
      "run",
      "--baseline",
      join(REPO, "configs/baseline.yaml"),
      "--candidate",
      join(REPO, "configs/candidate.yaml"),
      "--dataset",
      inputs.dataset,
      "--golden",
      inputs.golden,
      "--out",
      runDir,
    ]);
    const watch = new LogWatch(join(runDir, "run.jsonl"));
    // A seeded moment among the first fifth of its dry runs (every one is the same kind of moment; this bounds the wait).
    const target = 1 + Math.floor((random() * (2 * STOP_CONVERSATIONS)) / 5);
    while (watch.poll().dry_run < target) await tick();
    const sent = performance.now();
    run.child.kill(signal);
    const { code, stderr } = await run.exited;
    const ms = performance.now() - sent;
    samples.push({ signal, at: target, ms: Math.round(ms), code, resume: /Resume with: /.test(stderr) });
    process.stdout.write(
      `  ${signal} after ${target} dry runs: exit ${code} in ${Math.round(ms)} ms${/Resume with: /.test(stderr) ? ", resume command printed" : ", NO resume command"}\n`,
    );
    rmSync(runDir, { recursive: true, force: true });
  }
  return samples;
}

const work = mkdtempSync(join(tmpdir(), "eb-stress-"));
const burners = Array.from({ length: BURNERS }, () =>
  spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
);
const stopBurners = () => burners.forEach((b) => b.kill("SIGKILL"));
process.on("exit", stopBurners);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopBurners();
    rmSync(work, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}
console.log(`kill-and-resume stress, seed ${SEED}, ${BURNERS} CPU burners, in ${work}`);
const results = [];
try {
  results.push(
    await workload("offline", OFFLINE_TRIALS, async () => {
      const dir = join(work, "offline");
      mkdirSync(dir);
      const inputs = generateDataset(join(dir, "set"), { conversations: OFFLINE_CONVERSATIONS, seed: 3 });
      const args = [
        "run",
        "--baseline",
        join(REPO, "configs/baseline.yaml"),
        "--candidate",
        join(REPO, "configs/candidate.yaml"),
        "--dataset",
        inputs.dataset,
        "--golden",
        inputs.golden,
      ];
      const reference = join(dir, "reference");
      const { code, stderr } = await startCli([...args, "--out", reference]).exited;
      if (code !== 0 && code !== 1) throw new Error(`reference run exited ${code}: ${stderr.slice(-800)}`);
      return { runArgs: args, resumeArgs: args, reference, totalDryRuns: 2 * OFFLINE_CONVERSATIONS, env: {}, dir };
    }),
  );
  const server = await startModelServer({ delayMs: 2 });
  try {
    results.push(
      await workload("model-backed", MODEL_TRIALS, async () => {
        const dir = join(work, "models");
        mkdirSync(dir);
        const inputs = generateDataset(join(dir, "set"), { conversations: MODEL_CONVERSATIONS, seed: 4 });
        const extractor = (name, model) =>
          `name: ${name}\nextractor:\n  provider: openai\n  model: ${model}\n  base_url: ${server.url}\n  schema_version: ${model.includes("mini") ? 1 : 2}\n`;
        writeFileSync(join(dir, "baseline.yaml"), extractor("stress-baseline", "gpt-4.1-mini"));
        writeFileSync(join(dir, "candidate.yaml"), extractor("stress-candidate", "gpt-4.1"));
        const bench = join(dir, "bench.yaml");
        writeFileSync(
          bench,
          [
            "baseline: baseline.yaml",
            "candidate: candidate.yaml",
            `dataset: ${inputs.dataset}`,
            `golden: ${inputs.golden}`,
            "judge:",
            "  provider: openai",
            "  model: gpt-4.1",
            `  base_url: ${server.url}`,
            "  repeat_share: 0.2",
            "  pairwise: true",
            "concurrency: 8",
            // Every resumed unit asks the model again: nothing is answered from what the killed run cached.
            "cache: {mode: off}",
            "",
          ].join("\n"),
        );
        const env = { OPENAI_API_KEY: "stress-test-key" };
        const reference = join(dir, "reference");
        const { code, stderr } = await startCli(["run", bench, "--out", reference], env).exited;
        if (code !== 0 && code !== 1) throw new Error(`reference run exited ${code}: ${stderr.slice(-800)}`);
        return {
          runArgs: ["run", bench],
          resumeArgs: ["run", bench],
          reference,
          totalDryRuns: 2 * MODEL_CONVERSATIONS,
          env,
          dir,
        };
      }),
    );
  } finally {
    await server.close();
  }
  const stops = STOP_CONVERSATIONS > 0 && STOP_TRIALS > 0 ? await stopTimings(work) : [];

  console.log("\nworkload       trials  kills  resumed-at-once  units-twice  reports-equal");
  for (const r of results) {
    console.log(
      `${r.name.padEnd(14)} ${String(r.trials).padStart(6)} ${String(r.kills).padStart(6)} ${String(r.unwaited).padStart(16)} ${String(r.duplicates).padStart(12)}  ${r.equal}/${r.trials}`,
    );
  }
  const kills = results.reduce((sum, r) => sum + r.kills, 0);
  const duplicates = results.reduce((sum, r) => sum + r.duplicates, 0);
  const unequal = results.reduce((sum, r) => sum + r.unequal.length, 0);
  console.log(
    `total: ${kills} kills, ${duplicates} units logged twice, ${results.reduce((s, r) => s + r.equal, 0)}/${results.reduce((s, r) => s + r.trials, 0)} reports equal to the uninterrupted run's`,
  );
  if (stops.length > 0) {
    const worst = Math.max(...stops.map((s) => s.ms));
    console.log(
      `stops of a ${STOP_CONVERSATIONS}-conversation offline run: ${stops.map((s) => `${s.signal} ${s.ms} ms (exit ${s.code})`).join(", ")}; slowest ${worst} ms`,
    );
  }
  process.exitCode =
    duplicates > 0 || unequal > 0 || stops.some((s) => !s.resume || (s.code !== 130 && s.code !== 143)) ? 1 : 0;
} finally {
  stopBurners();
  rmSync(work, { recursive: true, force: true });
}
