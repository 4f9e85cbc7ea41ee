// Workloads 3 and 4: a run whose every model call (both extractors and the LLM judge) waits 200 ms on a
// loopback server, against the ideal set by the concurrency limit and against the SDK floor (the same
// calls through the SDK alone); then the same run again from the cache, in turns with it.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateDataset } from "./generate.mjs";
import { startModelServer } from "./model-server.mjs";

const DELAY_MS = 200;
const CONCURRENCY = 16;
/** Model calls each unit of a phase makes one after the other: their kinds. */
const PHASE_CALLS = { dry_run: ["extract", "assess"], junk: ["junk"], pairwise: ["pairwise"] };

/**
 * Run a Node script without blocking this process (the model server answers from it): its wall
 * seconds and its standard output. `okCodes`: the exit codes that are not a failure.
 */
function runNode(args, { env = {}, okCodes = [0] } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, CI: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (okCodes.includes(code)) resolve({ wall, stdout });
      else reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

/** Run the CLI (a gate that fails, exit 1, is a finished run); wall seconds. */
async function runCli(bin, args, env) {
  return (await runNode([bin, ...args], { env, okCodes: [0, 1] })).wall;
}

function writeBench(dir, server, inputs, cacheDir, { simulation = true } = {}) {
  const extractor = (name, model) =>
    `name: ${name}\nextractor:\n  provider: openai\n  model: ${model}\n  base_url: ${server.url}\n  schema_version: ${model.includes("mini") ? 1 : 2}\n`;
  writeFileSync(join(dir, "baseline.yaml"), extractor("latency-baseline", "gpt-4.1-mini"));
  writeFileSync(join(dir, "candidate.yaml"), extractor("latency-candidate", "gpt-4.1"));
  const bench = join(dir, simulation ? "bench.yaml" : "bench-no-simulation.yaml");
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
      "  repeat_share: 0",
      "  pairwise: true",
      `concurrency: ${CONCURRENCY}`,
      "rate_limits:",
      `  openai: {concurrency: ${CONCURRENCY}}`,
      "cache:",
      `  dir: ${cacheDir}`,
      "store: {conversations: 100000}",
      ...(simulation ? [] : ["retrieval:", "  enabled: false"]),
      "",
    ].join("\n"),
  );
  return bench;
}

/**
 * Each model phase's wall time over its ideal: ceil(units / concurrency) rounds of the calls each unit
 * makes in turn, for each round the phase waited on. The retrieval simulation calls no model here (BM25): workloads 2 and 8 measure it.
 */
function phaseRatios(report, counts) {
  return report.run.phases
    .filter((phase) => phase.name in PHASE_CALLS)
    .map((phase) => {
      const calls = PHASE_CALLS[phase.name].reduce((sum, kind) => sum + counts[kind], 0);
      const callsPerUnit = phase.units === 0 ? 0 : calls / phase.units;
      // A phase that grew in rounds (the junk sample) waits for each round before drawing the next.
      const rounds = (phase.rounds ?? [phase.units]).reduce((sum, units) => sum + Math.ceil(units / CONCURRENCY), 0);
      const idealMs = rounds * callsPerUnit * DELAY_MS;
      return {
        name: phase.name,
        units: phase.units,
        rounds: phase.rounds ?? [phase.units],
        calls_per_unit: callsPerUnit,
        wall_ms: phase.wall_ms,
        ideal_ms: idealMs,
        ratio: idealMs === 0 ? null : phase.wall_ms / idealMs,
      };
    });
}

/** The calls a unit of `phase` makes in turn, by kind: PHASE_CALLS[name] repeated to its calls per unit. */
function unitCalls(phase) {
  const kinds = PHASE_CALLS[phase.name];
  return Array.from({ length: Math.max(1, Math.round(phase.calls_per_unit)) }, (_, i) => kinds[i % kinds.length]);
}

/**
 * The SDK floor of each phase (bench/sdk-floor.mjs, in a process of its own as the CLI is): its calls,
 * in its rounds, at the same concurrency, through the SDK alone. Wall ms by phase name.
 */
function measureSdkFloor(server, phases, work) {
  const samples = join(work, "sdk-floor-samples.json");
  writeFileSync(samples, JSON.stringify(server.samples));
  const args = {
    url: server.url,
    samples,
    concurrency: CONCURRENCY,
    phases: phases.map((phase) => ({ name: phase.name, rounds: phase.rounds, calls: unitCalls(phase) })),
  };
  const script = new URL("./sdk-floor.mjs", import.meta.url).pathname;
  return runNode([script, JSON.stringify(args)]).then(({ stdout }) => JSON.parse(stdout));
}

/**
 * Workloads 3 and 4 in turns: each round a run with a fresh cache and the SDK floor of its phases,
 * then the same run again on that cache, with the retrieval simulation and without it, then
 * `eachRound(round)` (a reference the caller measures in the same turns). Returns per-run samples for
 * the caller's summaries.
 */
export async function runLatencyWorkloads({ bin, work, runs, conversations = 400, eachRound = async () => undefined }) {
  const inputs = generateDataset(join(work, "latency-set"), { conversations, seed: 11 });
  const server = await startModelServer({ delayMs: DELAY_MS });
  const env = { OPENAI_API_KEY: "bench-placeholder-key" };
  const latency = [];
  const cached = [];
  const cachedPlain = [];
  try {
    for (let i = 0; i < runs; i++) {
      server.reset();
      const bench = writeBench(work, server, inputs, join(work, `latency-cache-${i}`));
      const out = join(work, `latency-run-${i}`);
      const wall = await runCli(bin, ["run", bench, "--out", out], env);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      const phases = phaseRatios(report, server.counts);
      const requests = { ...server.counts };
      // The same calls through the SDK alone, in turns with the run: each phase against the larger of its ideal and its floor.
      const floors = await measureSdkFloor(server, phases, work);
      for (const phase of phases) {
        phase.floor_ms = floors[phase.name];
        phase.ratio_floor = phase.wall_ms / Math.max(phase.ideal_ms, phase.floor_ms);
      }
      const sum = (key) => phases.reduce((total, p) => total + p[key], 0);
      const [phasesMs, idealMs, floorMs] = [sum("wall_ms"), sum("ideal_ms"), sum("floor_ms")];
      latency.push({
        wall,
        requests,
        phases,
        total: {
          wall_ms: phasesMs,
          ideal_ms: idealMs,
          floor_ms: floorMs,
          ratio: phasesMs / idealMs,
          ratio_floor: phasesMs / Math.max(idealMs, floorMs),
        },
        reextraction: report.reextraction?.candidate ?? null,
      });
      server.reset();
      const cachedWall = await runCli(bin, ["run", bench, "--out", join(work, `cached-run-${i}`)], env);
      cached.push({ wall: cachedWall, requests: server.total() });
      // The same cached run without the retrieval simulation: what the cached re-run's target was set on.
      server.reset();
      const plain = writeBench(work, server, inputs, join(work, `latency-cache-${i}`), { simulation: false });
      const plainWall = await runCli(bin, ["run", plain, "--out", join(work, `cached-run-nosim-${i}`)], env);
      cachedPlain.push({ wall: plainWall, requests: server.total() });
      await eachRound(i);
    }
  } finally {
    await server.close();
  }
  return { latency, cached, cachedPlain };
}
