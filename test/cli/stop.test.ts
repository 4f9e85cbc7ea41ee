import { spawn } from "node:child_process";
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunLog } from "../../src/run/run-log.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { cli, REPO, tempDir } from "./helpers.js";

/**
 * Ctrl-C and SIGTERM, sent to the built CLI: an offline run (rules extractors, heuristic judge, no
 * unit that waits on anything) stops between units; every stop prints the command that resumes the
 * run; a second signal, or the stop deadline, ends the run where it stands. Each test waits for a
 * line of the run's output (or its log) before it signals.
 */

const BIN = join(REPO, "dist/cli/bin.js");

/** A dataset the rules extractor finds memories in: `count` conversations, their golden memories. */
function writeDataset(dir: string, count: number): { dataset: string; golden: string } {
  const cities = ["Lisbon", "Osaka", "Leeds", "Porto", "Denver"];
  const conversations: string[] = [];
  const golden: string[] = [];
  for (let i = 0; i < count; i++) {
    const city = cities[i % cities.length]!;
    const turns = [
      { id: "t1", speaker: "Ana", role: "user", text: `I live in ${city} with my partner and two cats.` },
      { id: "t2", speaker: "assistant", role: "assistant", text: "That sounds lovely. How long have you been there?" },
      { id: "t3", speaker: "Ana", role: "user", text: `I work at Globex as a data engineer since ${2000 + (i % 20)}.` },
    ];
    conversations.push(JSON.stringify({ id: `c${i}`, scope: { namespace: `user:ana-${i}` }, turns }));
    golden.push(
      JSON.stringify({ id: `c${i}-g1`, conversation_id: `c${i}`, text: `Ana lives in ${city}`, evidence: ["t1"] }),
    );
  }
  writeFileSync(join(dir, "conversations.jsonl"), `${conversations.join("\n")}\n`);
  writeFileSync(join(dir, "golden.jsonl"), `${golden.join("\n")}\n`);
  return { dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl") };
}

interface Running {
  /** Resolves once stderr holds a match of `pattern`. */
  stderrMatch(pattern: RegExp): Promise<void>;
  signal(name: NodeJS.Signals): void;
  /** `stopMs`: from the first signal to the process's exit. */
  done: Promise<{ code: number | null; stderr: string; stopMs: number }>;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CI: "true", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const waiting: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const wait of [...waiting])
      if (wait.pattern.test(stderr)) waiting.splice(waiting.indexOf(wait), 1) && wait.resolve();
  });
  let signalledAt: number | undefined;
  const done = new Promise<{ code: number | null; stderr: string; stopMs: number }>((resolve) =>
    child.on("exit", (code) => {
      const stopMs = signalledAt === undefined ? NaN : performance.now() - signalledAt;
      // stderr is read to its end before the result is given.
      if (child.stderr.closed) resolve({ code, stderr, stopMs });
      else child.stderr.once("close", () => resolve({ code, stderr, stopMs }));
    }),
  );
  return {
    stderrMatch: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stderr)) return resolve();
        waiting.push({ pattern, resolve });
        void done.then(() => reject(new Error(`the run ended before ${pattern}: ${stderr}`)));
      }),
    signal: (name) => {
      signalledAt ??= performance.now();
      child.kill(name);
    },
    done,
  };
}

/** Resolves once the file's last bytes hold `text` (the run log's run_end). */
async function tailHolds(file: string, text: string): Promise<void> {
  for (;;) {
    if (existsSync(file)) {
      const fd = openSync(file, "r");
      try {
        const size = fstatSync(fd).size;
        const buffer = Buffer.alloc(Math.min(size, 8192));
        readSync(fd, buffer, 0, buffer.length, size - buffer.length);
        if (buffer.toString("utf8").includes(text)) return;
      } finally {
        closeSync(fd);
      }
    }
    // A timer, not setImmediate: a busy wait would take a core from the run it waits on.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A run's inputs: the dataset and golden files, given as flags or, with settings, in a bench file. */
interface Inputs {
  dataset: string;
  golden: string;
  bench?: string;
}

const CONFIGS = { baseline: join(REPO, "configs/baseline.yaml"), candidate: join(REPO, "configs/candidate.yaml") };
const inputArgs = (inputs: Inputs) =>
  inputs.bench
    ? [inputs.bench]
    : [
        "--baseline",
        CONFIGS.baseline,
        "--candidate",
        CONFIGS.candidate,
        "--dataset",
        inputs.dataset,
        "--golden",
        inputs.golden,
      ];

/** A bench file of the demo configs over `inputs`, with `settings` (YAML lines). */
function withBench(inputs: Inputs, path: string, settings: string[]): Inputs {
  const lines = [
    `baseline: ${CONFIGS.baseline}`,
    `candidate: ${CONFIGS.candidate}`,
    `dataset: ${inputs.dataset}`,
    `golden: ${inputs.golden}`,
    ...settings,
  ];
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { ...inputs, bench: path };
}
const runArgs = (inputs: Inputs, out: string) => ["run", ...inputArgs(inputs), "--out", out];
/** The resume command a stopped run prints: its inputs again, then --resume. */
const resumeLine = (inputs: Inputs, out: string) =>
  `Resume with: extractor-bench run ${inputArgs(inputs).join(" ")} --resume ${out}\n`;

/** No unit twice in a log, and the run finished. */
function expectWholeOnce(runDir: string): void {
  const { records } = readRunLog(join(runDir, "run.jsonl"));
  const keys = records.flatMap((r) =>
    r.kind === "dry_run"
      ? [`dry ${r.role} ${r.conversation_id}`]
      : r.kind === "judgement"
        ? [`${r.task} ${r.role} ${r.conversation_id} ${r.repeat ?? 0}`]
        : [],
  );
  expect(keys.length).toBe(new Set(keys).size);
  expect(records.at(-1)).toMatchObject({ kind: "run_end", status: "success" });
}

/** A stop honoured in time ends the log with a cancelled run_end; one ended by force, with none: the run did not finish either way. */
function expectUnfinished(runDir: string): void {
  const ends = readRunLog(join(runDir, "run.jsonl")).records.filter((r) => r.kind === "run_end");
  expect(ends.map((r) => r.status)).toEqual(ends.length === 0 ? [] : ["cancelled"]);
}

describe.runIf(existsSync(BIN))("an offline run stopped by a signal", () => {
  let inputs: Inputs;
  let dir: string;
  beforeAll(() => {
    dir = tempDir("eb-stop-");
    // Enough units that the run is still at its dry runs when the signal lands after the first one;
    // the retrieval simulation, which a stop between dry runs never reaches, only lengthens the resumes.
    inputs = withBench(writeDataset(dir, 1000), join(dir, "bench.yaml"), ["retrieval: {enabled: false}"]);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s stops it between units: partial reports, exit %i, the resume command; the resume finishes it",
    async (signal, code) => {
      const out = join(dir, `stopped-${signal}`);
      // However busy the machine, the partial reports get the time they need (the default deadline is under a second).
      const run = start(runArgs(inputs, out), { EXTRACTOR_BENCH_STOP_MS: "600000" });
      await run.stderrMatch(/dry runs and judging: 1\/2000/);
      run.signal(signal);
      const { code: exit, stderr } = await run.done;
      expect(exit).toBe(code);
      expect(stderr).toContain(`${signal}: stopping`);
      expect(stderr).toMatch(
        new RegExp(
          `stopped by ${signal}: \\d+ of 2000 dry runs and their judgements are kept in ${out} \\(report marked partial\\)\\. `,
        ),
      );
      expect(stderr.endsWith(resumeLine(inputs, out))).toBe(true);
      const { records } = readRunLog(join(out, "run.jsonl"));
      // The stop was honoured (the deadline is long): the log ends saying so.
      expect(records.at(-1)).toMatchObject({ kind: "run_end", status: "cancelled" });
      expect(records.filter((r) => r.kind === "dry_run").length).toBeLessThan(2000);
      expect(readFileSync(join(out, "report.md"), "utf8")).toContain("The run did not finish");

      const resumed = await cli(["run", ...inputArgs(inputs), "--resume", out]);
      expect(resumed.code).toBeLessThan(2);
      expectWholeOnce(out);
    },
    120_000,
  );

  it("past the stop deadline, ends where it stands, its log whole, and says how to go on", async () => {
    const out = join(dir, "deadline");
    const run = start(runArgs(inputs, out), { EXTRACTOR_BENCH_STOP_MS: "0" });
    await run.stderrMatch(/dry runs and judging: 1\/2000/);
    run.signal("SIGINT");
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain(
      `stopped by SIGINT: every unit logged in ${out} is kept (the partial reports were not all written: extractor-bench report ${out} writes them). ${resumeLine(inputs, out)}`,
    );
    expect(existsSync(join(out, "run.lock"))).toBe(false);
    const resumed = await cli(["run", ...inputArgs(inputs), "--resume", out]);
    expect(resumed.code).toBeLessThan(2);
    expectWholeOnce(out);
  }, 120_000);

  it("while its reports are written, ends at once and says the log is whole and how to write them", async () => {
    const out = join(dir, "reports");
    // Reports that take seconds to build (20,000 bootstrap resamples), so the signal lands while they are written.
    const slowReports = withBench(inputs, join(dir, "slow-reports.yaml"), [
      "retrieval: {enabled: false}",
      "bootstrap_resamples: 20000",
    ]);
    const run = start(runArgs(slowReports, out), { EXTRACTOR_BENCH_STOP_MS: "0" });
    await tailHolds(join(out, "run.jsonl"), '"kind":"run_end"');
    run.signal("SIGTERM");
    const { code, stderr } = await run.done;
    expect(code).toBe(143);
    expect(stderr).toContain(
      `stopped by SIGTERM, while the reports were written: the run finished and its log in ${out} is complete. Write its reports with: extractor-bench report ${out}\n`,
    );
    expect((await cli(["report", out])).code).toBe(0);
  }, 120_000);
});

describe.runIf(existsSync(BIN))("a second signal", () => {
  let server: ModelServer;
  beforeAll(async () => {
    // A model that never answers: the run's units stay in flight.
    server = await startModelServer(() => ({ fault: "delay", ms: 600_000 }));
  });
  afterAll(() => server.close());

  it("quits at once, while units are still in flight, with the resume command", async () => {
    const dir = tempDir("eb-stop-twice-");
    const inputs = writeDataset(dir, 20);
    writeFileSync(
      join(dir, "model.yaml"),
      `name: gpt\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 1\n`,
    );
    const out = join(dir, "run");
    const args = [
      "run",
      "--baseline",
      join(dir, "model.yaml"),
      "--candidate",
      join(dir, "model.yaml"),
      "--dataset",
      inputs.dataset,
      "--golden",
      inputs.golden,
      "--out",
      out,
      "--cache",
      "off",
    ];
    const run = start(args, { OPENAI_API_KEY: "fake.key.stop-test", EXTRACTOR_BENCH_STOP_MS: "600000" });
    // Units are in flight once the model has their requests.
    await new Promise<void>((resolve) => {
      // A timer, not setImmediate: a busy wait would take a core from the run it waits on.
      const check = () => (server.requests.length > 0 ? resolve() : setTimeout(check, 5));
      check();
    });
    run.signal("SIGINT");
    await run.stderrMatch(/SIGINT: stopping/);
    run.signal("SIGINT");
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain(`stopped by SIGINT (a second time): quitting now: every unit logged in ${out} is kept`);
    expect(stderr).toContain(
      `Resume with: extractor-bench run --baseline ${join(dir, "model.yaml")} --candidate ${join(dir, "model.yaml")} --dataset ${inputs.dataset} --golden ${inputs.golden} --cache off --resume ${out}\n`,
    );
    expect(existsSync(join(out, "run.lock"))).toBe(false);
  }, 120_000);
});

type Generate = (dir: string, options: Record<string, number | boolean>) => { dataset: string; golden: string };
const generateDataset = async (...args: Parameters<Generate>) =>
  ((await import(join(REPO, "bench/generate.mjs"))) as { generateDataset: Generate }).generateDataset(...args);

/**
 * The stop deadline is under a second; a busy machine (CI, other jobs) may take longer to schedule the
 * exit, so the bound asserted is generous. A run that ignored the signal would take minutes.
 */
const STOP_BOUND_MS = 5_000;

describe.runIf(existsSync(BIN))("a large offline run stopped by a signal, at the default deadline", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("eb-stop-large-");
  });

  it("of 100,000 conversations, ends within the deadline of Ctrl-C with the resume command", async () => {
    // Two turns each: the number of conversations is what the stop has to cope with, not their length.
    const inputs = await generateDataset(join(dir, "large"), { conversations: 100_000, turns: 2, golden: 1, seed: 23 });
    const out = join(dir, "large-run");
    const run = start(runArgs(inputs, out));
    await run.stderrMatch(/dry runs and judging: [1-9][\d,]*\/200,?000/);
    run.signal("SIGINT");
    const { code, stderr, stopMs } = await run.done;
    expect(code).toBe(130);
    expect(stopMs).toBeLessThan(STOP_BOUND_MS);
    expect(stderr).toContain("SIGINT: stopping");
    expect(stderr.endsWith(resumeLine(inputs, out))).toBe(true);
    expectUnfinished(out);
    expect(existsSync(join(out, "run.lock"))).toBe(false);
    console.info(`100,000 conversations: exit ${code} ${stopMs.toFixed(0)} ms after SIGINT`);
  }, 300_000);

  it("inside one long unit (a conversation of 20,000 turns), ends within the deadline of SIGTERM with the resume command", async () => {
    const inputs = await generateDataset(join(dir, "long"), {
      conversations: 1,
      turns: 20_000,
      seed: 5,
      sharedWords: true,
    });
    const out = join(dir, "long-run");
    const run = start(runArgs(inputs, out));
    // The log is started: the first unit, all of the one conversation, is under way.
    await tailHolds(join(out, "run.jsonl"), '"kind":"run_start"');
    run.signal("SIGTERM");
    const { code, stderr, stopMs } = await run.done;
    expect(code).toBe(143);
    expect(stopMs).toBeLessThan(STOP_BOUND_MS);
    expect(stderr.endsWith(resumeLine(inputs, out))).toBe(true);
    expectUnfinished(out);
    console.info(`one 20,000-turn conversation: exit ${code} ${stopMs.toFixed(0)} ms after SIGTERM`);
  }, 300_000);

  it("while the reports of a run are written, ends within the deadline of SIGTERM and says how to write them", async () => {
    // Reports that take seconds to build (the most bootstrap resamples allowed, 100,000), so the
    // signal lands while they are written however fast the machine: with the default (1,000), a quiet
    // machine finished the reports of 5,000 conversations first. The resamples, not a large dataset,
    // make them slow, so the run before them is short.
    const generated = await generateDataset(join(dir, "reports"), {
      conversations: 1_000,
      turns: 4,
      golden: 2,
      seed: 29,
    });
    const inputs = withBench(generated, join(dir, "reports-bench.yaml"), [
      "bootstrap_resamples: 100000",
      "retrieval: {enabled: false}",
    ]);
    const out = join(dir, "reports-run");
    const run = start(runArgs(inputs, out));
    await tailHolds(join(out, "run.jsonl"), '"kind":"run_end"');
    run.signal("SIGTERM");
    const { code, stderr, stopMs } = await run.done;
    expect(code).toBe(143);
    expect(stopMs).toBeLessThan(STOP_BOUND_MS);
    expect(stderr).toContain(
      `the run finished and its log in ${out} is complete. Write its reports with: extractor-bench report ${out}\n`,
    );
    console.info(
      `reports of 1,000 conversations, 100,000 resamples: exit ${code} ${stopMs.toFixed(0)} ms after SIGTERM`,
    );
  }, 300_000);
});
