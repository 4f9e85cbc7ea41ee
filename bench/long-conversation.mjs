// One long conversation whose facts share all their object words but a number ("pottery class 1234",
// "Krakow district 57"), every fact a golden memory: a run of both rules configs with the heuristic
// judge at 1,000, 4,000 and 20,000 turns, measured in turns (A B C A B C) so a change of load falls on
// every size alike. Linear means CPU per turn stays flat as the conversation grows; so does the log.
//
//   node bench/long-conversation.mjs [--rounds N] [--turns 1000,4000,20000] [--keep]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset } from "./generate.mjs";
import { median } from "./measure.mjs";
import { runArgs } from "./scale.mjs";

const REPO = new URL("..", import.meta.url).pathname;
const BIN = join(REPO, "dist/cli/bin.js");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
/** CPU per turn of the longest conversation over that of the shortest that still counts as linear. */
const FLAT = 1.5;

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const rounds = Number(option("--rounds", "1"));
const sizes = option("--turns", "1000,4000,20000").split(",").map(Number);
const keep = process.argv.includes("--keep");
if (!TIME) {
  console.error("bench:long needs GNU time at /usr/bin/time to measure the run's CPU time");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "eb-long-conversation-"));
const cleanUp = () => {
  if (!keep) rmSync(work, { recursive: true, force: true });
};
process.once("SIGINT", () => {
  cleanUp();
  process.exit(130);
});

/** One run over one conversation of `turns` turns: CPU seconds (user + system), wall seconds, peak RSS (MiB) and log bytes. */
function runOnce(turns, inputs, round) {
  const out = join(work, `run-${turns}-${round}`);
  const result = spawnSync(TIME, ["-f", "BENCH %U %S %e %M", process.execPath, ...runArgs(BIN, inputs, out)], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
    maxBuffer: 64 << 20,
  });
  if (![0, 1].includes(result.status))
    throw new Error(`run of ${turns} turns exited ${result.status}: ${(result.stderr ?? "").slice(-800)}`);
  const line = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr ?? "");
  if (!line) throw new Error(`no timing from ${TIME}: ${(result.stderr ?? "").slice(-400)}`);
  const logBytes = statSync(join(out, "run.jsonl")).size;
  rmSync(out, { recursive: true, force: true });
  return { cpu: Number(line[1]) + Number(line[2]), wall: Number(line[3]), rssMiB: Number(line[4]) / 1024, logBytes };
}

try {
  const inputs = new Map(
    sizes.map((turns) => [
      turns,
      generateDataset(join(work, `set-${turns}`), { conversations: 1, turns, seed: 5, sharedWords: true }),
    ]),
  );
  const samples = new Map(sizes.map((turns) => [turns, []]));
  for (let round = 0; round < rounds; round++) {
    for (const turns of sizes) {
      const sample = runOnce(turns, inputs.get(turns), round);
      samples.get(turns).push(sample);
      console.error(`round ${round + 1}/${rounds}: ${turns} turns, ${sample.cpu.toFixed(2)} s CPU`);
    }
  }
  const rows = sizes.map((turns) => {
    const all = samples.get(turns);
    const cpu = median(all.map((s) => s.cpu));
    return {
      turns,
      cpu,
      cpuPerTurnMs: (cpu / turns) * 1000,
      wall: median(all.map((s) => s.wall)),
      rssMiB: median(all.map((s) => s.rssMiB)),
      logBytesPerTurn: median(all.map((s) => s.logBytes)) / turns,
    };
  });
  console.log(
    `One conversation, facts sharing their object words, both rules configs, heuristic judge (median of ${rounds} round${rounds === 1 ? "" : "s"}):`,
  );
  console.log("turns    CPU s   CPU ms/turn   wall s   peak MiB   log bytes/turn");
  for (const r of rows) {
    console.log(
      `${String(r.turns).padStart(6)} ${r.cpu.toFixed(2).padStart(8)} ${r.cpuPerTurnMs.toFixed(3).padStart(13)} ${r.wall.toFixed(2).padStart(8)} ${r.rssMiB.toFixed(0).padStart(10)} ${r.logBytesPerTurn.toFixed(0).padStart(16)}`,
    );
  }
  const first = rows[0];
  const last = rows.at(-1);
  const growth = last.cpuPerTurnMs / first.cpuPerTurnMs;
  // The run's fixed cost (start-up, reports) weighs most on the shortest conversation, so per-turn CPU may fall as turns grow; only a rise means worse than linear.
  const linear = growth <= FLAT;
  console.log(
    `CPU per turn at ${last.turns} turns is ${growth.toFixed(2)}× that at ${first.turns} turns: ${linear ? "linear" : `worse than linear (more than ${FLAT}×)`}`,
  );
  process.exitCode = linear ? 0 : 1;
} finally {
  cleanUp();
}
