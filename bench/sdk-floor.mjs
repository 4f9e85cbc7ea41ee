// The SDK floor of the latency workload: the same model calls as a run's phases, as many at once,
// made by a Node process that does nothing else: the OpenAI SDK over the bench's own transport
// (dist/providers/http-transport.js), each call the request body the loopback server first saw of its
// kind. What the SDK, the transport, the loopback and the server cost on this machine, without the bench.
// Usage: node sdk-floor.mjs '{"url": "...", "samples": "<file>", "concurrency": 16, "phases": [...]}'
// where each phase is {"name", "rounds": [units, ...], "calls": [kind, ...]}: a unit makes its calls in
// turn, a round starts when the one before it has ended. Prints {"<phase>": wall_ms, ...} as JSON.
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { modelFetch } from "../dist/providers/http-transport.js";

const { url, samples: samplesFile, concurrency, phases } = JSON.parse(process.argv[2]);
const samples = JSON.parse(readFileSync(samplesFile, "utf8"));
const client = new OpenAI({ apiKey: "bench-placeholder-key", baseURL: url, maxRetries: 0, fetch: modelFetch });

const call = (kind) => {
  const body = samples[kind];
  if (!body) throw new Error(`the model server saw no ${kind} request to repeat`);
  return client.chat.completions.create(body);
};

/** `units` units of `calls` in turn, `concurrency` units at once; wall ms. */
async function round(units, calls) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, units) }, async () => {
      while (next++ < units) for (const kind of calls) await call(kind);
    }),
  );
  return performance.now() - started;
}

// One call of each kind first, so the floor does not count the SDK's first call: it is the lower bound.
for (const kind of new Set(phases.flatMap((phase) => phase.calls))) await call(kind);
const walls = {};
for (const phase of phases) {
  walls[phase.name] = 0;
  for (const units of phase.rounds) walls[phase.name] += await round(units, phase.calls);
}
process.stdout.write(`${JSON.stringify(walls)}\n`);
