// Workloads of the scale-out path: gate on a run folder against gate on its report.json (5), merge of
// three shards against the run of one shard (7), and peak memory of a large set and of a long
// conversation with no heap flag (8, 9).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateDataset } from "./generate.mjs";
import { measure } from "./measure.mjs";

const REPO = new URL("..", import.meta.url).pathname;
const CONFIGS = [
  "--baseline",
  join(REPO, "configs/baseline.yaml"),
  "--candidate",
  join(REPO, "configs/candidate.yaml"),
];

/** A run of both rules configs over `inputs` into `out` (extra: more arguments, e.g. --shard). */
export function runArgs(bin, inputs, out, extra = []) {
  return [bin, "run", ...CONFIGS, "--dataset", inputs.dataset, "--golden", inputs.golden, "--out", out, ...extra];
}

/** The same run as `runArgs` with the retrieval simulation left out (a bench file that turns it off). */
export function runArgsWithoutSimulation(bin, inputs, out) {
  const benchFile = `${out}.bench.yaml`;
  const [, baseline, , candidate] = CONFIGS;
  const lines = [
    `baseline: ${baseline}`,
    `candidate: ${candidate}`,
    `dataset: ${inputs.dataset}`,
    `golden: ${inputs.golden}`,
    "judge: heuristic",
    "retrieval:",
    "  enabled: false",
  ];
  writeFileSync(
    benchFile,
    `${lines.map((line) => line.replace(/: (\/.*)$/, (_, path) => `: ${JSON.stringify(path)}`)).join("\n")}\n`,
  );
  return [bin, "run", benchFile, "--out", out];
}

/** Workload 5: `gate RUN_DIR` and `gate RUN_DIR/report.json` on one run folder. `rebuilt`: whether gate said it rebuilt the report. */
export function gateWorkloads({ bin, runDir }) {
  return {
    "gate RUN_DIR": () => {
      const sample = measure([bin, "gate", runDir]);
      return { ...sample, rebuilt: sample.stderr.includes("rebuilt from the run log") };
    },
    "gate report.json": () => measure([bin, "gate", join(runDir, "report.json")]),
  };
}

/**
 * Workload 7: three shards of a 30,000-conversation set run one after the other (samples of one
 * shard's run), then `merges` times a merge of the three, each followed by one more shard run, so
 * merges and shard runs take turns.
 */
export function measureMerge({ bin, work, merges }) {
  const inputs = generateDataset(join(work, "merge-set"), { conversations: 30_000, seed: 17 });
  const shardRuns = [];
  const mergeRuns = [];
  const shardDir = (index) => join(work, `merge-shard-${index}`);
  for (const index of [1, 2, 3])
    shardRuns.push(measure(runArgs(bin, inputs, shardDir(index), ["--shard", `${index}/3`])));
  for (let round = 0; round < merges; round++) {
    mergeRuns.push(
      measure([bin, "merge", shardDir(1), shardDir(2), shardDir(3), "--out", join(work, `merged-${round}`)]),
    );
    const index = (round % 3) + 1;
    shardRuns.push(
      measure(runArgs(bin, inputs, join(work, `merge-shard-${index}-again-${round}`), ["--shard", `${index}/3`])),
    );
  }
  return { shardRuns, mergeRuns };
}

/**
 * Workload 8: one run of 100,000 conversations, no heap flag: its wall time and peak memory, and the
 * same run without the retrieval simulation.
 */
export function measureLargeSet({ bin, work }) {
  const inputs = generateDataset(join(work, "large-set"), { conversations: 100_000, seed: 19 });
  const withSimulation = measure(runArgs(bin, inputs, join(work, "large-run")));
  const without = measure(runArgsWithoutSimulation(bin, inputs, join(work, "large-run-without-simulation")));
  return { withSimulation, without };
}

/** Workload 9: one conversation of 100,000 turns, every one different, no heap flag. */
export function measureLongConversation({ bin, work }) {
  const inputs = generateDataset(join(work, "long-set"), { conversations: 1, turns: 100_000, seed: 5, distinct: true });
  return measure(runArgs(bin, inputs, join(work, "long-run")));
}
