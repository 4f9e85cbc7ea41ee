// Workload 6: the command extractor under latency. Both configs run a program that reads the
// conversation, waits 200 ms and prints a candidate, 16 at once, against the ideal (ceil(units / 16)
// rounds of 200 ms) and against the spawn floor: the same program started as many times, as many at
// once, by xargs (a small C program that does nothing but fork, exec and wait), measured in turns
// with the bench's run. Where there is no xargs, a Node process that does nothing else starts them.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateDataset } from "./generate.mjs";
import { measure } from "./measure.mjs";

const DELAY_MS = 200;
const CONCURRENCY = 16;
const ANSWER = JSON.stringify([
  { type: "fact", subject: "user", predicate: "mentions", object: "their week", confidence: 0.8 },
]);

/** The program: perl where there is one (one process a unit), else sh with cat and sleep (three). */
function program() {
  if (spawnSync("perl", ["-e", "1"]).status === 0) {
    return {
      name: "perl",
      command: ["perl", "-e", `local $/; <STDIN>; select(undef, undef, undef, ${DELAY_MS / 1000}); print q(${ANSWER})`],
    };
  }
  return {
    name: "sh, cat and sleep",
    command: ["sh", "-c", `cat >/dev/null; sleep ${DELAY_MS / 1000}; printf '%s' '${ANSWER}'`],
  };
}

/** Set up the workload in `work`: its dataset, configs and bench file, and the floor's input. */
export function setUpCommandWorkload({ work, conversations = 400 }) {
  const inputs = generateDataset(join(work, "command-set"), { conversations, seed: 13 });
  const { name, command } = program();
  const yaml = (value) => JSON.stringify(value);
  const config = (configName, schemaVersion) =>
    `name: ${configName}\nextractor:\n  provider: command\n  command: ${yaml(command)}\n  schema_version: ${schemaVersion}\n`;
  writeFileSync(join(work, "command-baseline.yaml"), config("command-baseline", 1));
  writeFileSync(join(work, "command-candidate.yaml"), config("command-candidate", 2));
  const bench = join(work, "command-bench.yaml");
  writeFileSync(
    bench,
    [
      `baseline: command-baseline.yaml`,
      `candidate: command-candidate.yaml`,
      `dataset: ${inputs.dataset}`,
      `golden: ${inputs.golden}`,
      `concurrency: ${CONCURRENCY}`,
      "",
    ].join("\n"),
  );
  // The floor's input: what the bench sends a program for the first conversation.
  const first = JSON.parse(readFileSync(inputs.dataset, "utf8").split("\n")[0]);
  const units = conversations * 2;
  const floorArgs = JSON.stringify({
    command,
    input: JSON.stringify({ conversation: first, config: { name: "command-baseline" } }),
    units,
    concurrency: CONCURRENCY,
  });
  const idealMs = Math.ceil(units / CONCURRENCY) * DELAY_MS;
  const xargs = spawnSync("xargs", ["--version"]).status === 0;
  const setsid = spawnSync("setsid", ["true"]).status === 0;
  return { bench, floorArgs, command, idealMs, units, program: name, floorBy: xargs ? "xargs" : "node", setsid };
}

/** One run of the bench on the workload: its dry-run phase's wall time (from the report's run facts). */
export function measureCommandRun({ bin, work, setup, round }) {
  const out = join(work, `command-run-${round}`);
  const sample = measure([bin, "run", setup.bench, "--out", out]);
  const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
  const phase = report.run.phases.find((p) => p.name === "dry_run");
  return {
    ...sample,
    phaseS: phase.wall_ms / 1000,
    failed: report.completeness.baseline.failed + report.completeness.candidate.failed,
  };
}

/**
 * One measurement of the spawn floor: the wall time of the same programs, as many, as many at once,
 * started by `xargs -P` (their stdin empty: reading a few kilobytes is not what it measures), or by a
 * bare Node process where there is no xargs.
 */
export function measureSpawnFloor({ setup }) {
  if (setup.floorBy === "node") {
    const sample = measure([new URL("./spawn-floor.mjs", import.meta.url).pathname, setup.floorArgs], { okCodes: [0] });
    return { ...sample, phaseS: JSON.parse(sample.stdout).wall_ms / 1000 };
  }
  // xargs and each program in a session of their own, as the bench's helper processes and the programs
  // they start are (detached): where sessions are scheduled as groups, both then get the same share.
  const script = `seq ${setup.units} | xargs -P ${CONCURRENCY} -n 1 ${setup.setsid ? "setsid " : ""}"$@" >/dev/null`;
  const args = ["sh", "-c", script, "floor", ...setup.command];
  const sample = setup.setsid
    ? measure(["--wait", ...args], { command: "setsid", okCodes: [0] })
    : measure(args.slice(1), { command: "sh", okCodes: [0] });
  return { ...sample, phaseS: sample.wall };
}
