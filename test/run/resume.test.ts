import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readRunLog, RunLogWriter } from "../../src/run/run-log.js";
import type { RunEnd } from "../../src/schema/run-log.js";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";
import { writeSlowExtractors } from "../support/slow-extractor.js";
import { until } from "../support/until.js";

/**
 * Resume after any interruption: real runs as child processes of the built CLI, killed at seeded
 * points, resumed, and compared with an uninterrupted run on the same inputs.
 */

const BIN = join(REPO, "dist/cli/bin.js");

/** Alice's, Marcus's and Sofia's conversations of the demo set (24 dry runs) and their golden memories. */
const SUBSET = ["alice", "marcus", "sofia"];

function setUp(): string {
  const dir = tempDir("eb-resume-");
  const conversations = readFileSync(join(REPO, "datasets/demo/conversations.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line && SUBSET.some((name) => line.includes(`"conv-${name}-`)));
  const ids = new Set(conversations.map((line) => (JSON.parse(line) as { id: string }).id));
  const golden = readFileSync(join(REPO, "golden/demo/golden.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line && ids.has((JSON.parse(line) as { conversation_id: string }).conversation_id));
  writeFileSync(join(dir, "conversations.jsonl"), `${conversations.join("\n")}\n`);
  writeFileSync(join(dir, "golden.jsonl"), `${golden.join("\n")}\n`);
  writeSlowExtractors(dir, join(dir, "conversations.jsonl"), ["slow-a", "slow-b"], (name) =>
    name === "slow-a" ? 1 : 2,
  );
  writeFileSync(
    join(dir, "bench.yaml"),
    "baseline: slow-a.yaml\ncandidate: slow-b.yaml\ndataset: conversations.jsonl\ngolden: golden.jsonl\nconcurrency: 4\n",
  );
  return dir;
}

interface Child {
  done: Promise<{ code: number | null; stderr: string }>;
  kill: (signal: NodeJS.Signals) => void;
  /** What the run wrote to stderr so far. */
  stderr: () => string;
}

function start(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [BIN, "run", "bench.yaml", ...args], {
    cwd: dir,
    env: { ...process.env, CI: "true", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    done: new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr }))),
    kill: (signal) => child.kill(signal),
    stderr: () => stderr,
  };
}

/** The in-process CLI spawns extractors with this process's environment: set it around the call. */
async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const dryRunsIn = (log: string) =>
  existsSync(log) ? (readFileSync(log, "utf8").match(/"kind":"dry_run"/g) ?? []).length : 0;

const report = (runDir: string): BenchReport =>
  BenchReportSchema.parse(JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")));
/** Wall-clock latency differs between any two runs; everything else measured must not. */
const withoutLatency = (m: BenchReport["metrics"]["baseline"]) => ({
  ...m,
  operating: { ...m.operating, latency_p50_ms: 0, latency_p95_ms: 0 },
});
/** What a resumed run must reproduce: everything measured, not when it ran. */
const measured = (r: BenchReport) => ({
  completeness: { ...r.completeness },
  metrics: {
    baseline: withoutLatency(r.metrics.baseline),
    candidate: withoutLatency(r.metrics.candidate),
    delta: r.metrics.delta,
  },
  mcnemar: r.mcnemar,
  calibration: r.calibration,
  fields: r.fields,
  entities: r.entities,
  vocabulary: r.vocabulary,
  types: r.types,
  recommendation: r.recommendation,
  gate: r.gate,
  conversations: r.conversations,
});

function unitKeys(runDir: string): string[] {
  return readRunLog(join(runDir, "run.jsonl")).records.flatMap((r) =>
    r.kind === "dry_run"
      ? [`dry ${r.role} ${r.conversation_id}`]
      : r.kind === "judgement"
        ? [`${r.task} ${r.role} ${r.conversation_id}`]
        : [],
  );
}

describe("resume after a kill", () => {
  const dir = setUp();
  let reference: BenchReport;

  beforeAll(async () => {
    const { code } = await start(dir, ["--out", "reference"], { EB_CALLS_LOG: join(dir, "reference.calls") }).done;
    expect(code).toBe(0);
    reference = report(join(dir, "reference"));
  });

  // Kill points: after 4, 12 and 20 of the 24 dry runs are logged, and once the log is complete (during report writing).
  it.each([4, 12, 20, 24])(
    "SIGKILL after %i dry runs, then --resume: the same report, no unit twice, no logged unit redone",
    async (point) => {
      const runDir = join(dir, `killed-${point}`);
      const calls = join(dir, `killed-${point}.calls`);
      const child = start(dir, ["--out", `killed-${point}`], { EB_CALLS_LOG: calls });
      await until(() => dryRunsIn(join(runDir, "run.jsonl")) >= point, child.done, `${point} dry runs were logged`);
      child.kill("SIGKILL");
      await child.done;
      const logged = new Set(unitKeys(runDir).filter((k) => k.startsWith("dry ")));

      // Extractor processes the killed run started may still note their call: the resumed run's calls carry their own tag.
      const resumed = await withEnv({ EB_CALLS_LOG: calls, EB_RUN_TAG: "resumed" }, () =>
        cli(["run", join(dir, "bench.yaml"), "--resume", runDir]),
      );
      expect(resumed.code).toBe(0);
      expect(measured(report(runDir))).toEqual(measured(reference));
      expect(report(runDir).completeness.complete).toBe(true);

      const keys = unitKeys(runDir);
      expect(keys.length).toBe(new Set(keys).size);
      // Every unit logged before the kill was taken from the log, not extracted again.
      const callsAfter = readFileSync(calls, "utf8")
        .trim()
        .split("\n")
        .filter((call) => call.endsWith(" resumed"));
      for (const call of callsAfter) {
        const [config, conversation] = call.split(" ");
        expect(logged.has(`dry ${config === "slow-a" ? "baseline" : "candidate"} ${conversation}`)).toBe(false);
      }
      expect(callsAfter.length).toBe(24 - logged.size);
    },
  );
});

describe("stopping with Ctrl-C", () => {
  it("stops taking work, keeps what finished, says how to resume, exits 130; the resume completes it", async () => {
    const dir = setUp();
    const runDir = join(dir, "stopped");
    // Calls after the first 6 wait while the hold file exists: the run cannot finish before the signal,
    // however the machine schedules it. However slow the machine, units in flight and the partial
    // reports get all the time they need (the default is under a second).
    const hold = join(dir, "hold");
    writeFileSync(hold, "");
    const env = {
      EB_CALLS_LOG: join(dir, "stopped.calls"),
      EB_HOLD_FLAG: hold,
      EB_HOLD_AFTER: "6",
      EXTRACTOR_BENCH_STOP_MS: "600000",
    };
    const child = start(dir, ["--out", "stopped"], env);
    await until(() => dryRunsIn(join(runDir, "run.jsonl")) >= 4, child.done, "4 dry runs were logged");
    child.kill("SIGINT");
    await until(() => child.stderr().includes("SIGINT: stopping"), child.done, "the run said it was stopping");
    rmSync(hold);
    const { code, stderr } = await child.done;
    expect(code).toBe(130);
    expect(stderr).toContain("SIGINT: stopping");
    expect(stderr).toMatch(
      /stopped by SIGINT: \d+ of 24 dry runs and their judgements are kept in stopped \(report marked partial\)\. Resume with: extractor-bench run bench.yaml --resume stopped/,
    );
    expect(readFileSync(join(runDir, "report.md"), "utf8")).toContain("The run did not finish");
    expect(dryRunsIn(join(runDir, "run.jsonl"))).toBeLessThan(24);

    // Running into the same folder again says to resume it.
    const again = await cli(["run", join(dir, "bench.yaml"), "--out", runDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("holds a run that did not finish: resume it with --resume");

    const resumed = await cli(["run", join(dir, "bench.yaml"), "--resume", runDir]);
    expect(resumed.code).toBe(0);
    expect(report(runDir).completeness).toMatchObject({ complete: true, missing_dry_runs: 0 });
  });
});

describe("what a resume refuses and redoes", () => {
  it("refuses inputs that changed since the run started", async () => {
    const dir = setUp();
    const golden = join(dir, "golden.jsonl");
    // Calls after the first 6 wait while the hold file exists: the kill lands before the run ends.
    const hold = join(dir, "hold");
    writeFileSync(hold, "");
    const child = start(dir, ["--out", "run"], {
      EB_CALLS_LOG: join(dir, "run.calls"),
      EB_HOLD_FLAG: hold,
      EB_HOLD_AFTER: "6",
    });
    await until(() => dryRunsIn(join(dir, "run", "run.jsonl")) >= 4, child.done, "4 dry runs were logged");
    child.kill("SIGKILL");
    await child.done;
    rmSync(hold);
    writeFileSync(golden, readFileSync(golden, "utf8").replace("Alice works at Stripe", "Alice works at Globex"));
    const resumed = await cli(["run", join(dir, "bench.yaml"), "--resume", join(dir, "run")]);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("its inputs changed since it started (golden)");
  });

  it("--retry-errors redoes the units recorded as failed", async () => {
    const dir = setUp();
    const flag = join(dir, "fail");
    writeFileSync(flag, "");
    const first = await withEnv({ EB_FAIL_FLAG: flag }, () =>
      cli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run")]),
    );
    expect(first.code).toBe(1);
    const failed = report(join(dir, "run")).completeness.candidate.failed;
    expect(failed).toBeGreaterThan(0);
    rmSync(flag);
    // A finished run resumed without --retry-errors has nothing to redo.
    await withEnv({ EB_FAIL_FLAG: flag }, async () => {
      expect((await cli(["run", join(dir, "bench.yaml"), "--resume", join(dir, "run")])).code).toBe(1);
      await cli(["run", join(dir, "bench.yaml"), "--resume", join(dir, "run"), "--retry-errors"]);
    });
    expect(report(join(dir, "run")).completeness.candidate.failed).toBe(0);
    expect(report(join(dir, "run")).completeness.baseline.failed).toBe(0);
  });
});

describe("the status a log ends with", () => {
  const demo = (out: string) => [
    "--baseline",
    join(REPO, "configs/baseline.yaml"),
    "--candidate",
    join(REPO, "configs/candidate.yaml"),
    "--dataset",
    join(REPO, "datasets/demo"),
    "--golden",
    join(REPO, "golden/demo"),
    "--out",
    out,
  ];
  const demoInputs = (out: string) => demo(out).slice(0, -2);

  /** One finished demo run serves both tests: each rewrites the log of a copy of its folder. */
  let finished: string;
  beforeAll(async () => {
    finished = join(tempDir("eb-status-"), "finished");
    expect((await cli(["run", ...demo(finished)])).code).toBe(0);
  });
  const finishedRun = (runDir: string) => cpSync(finished, runDir, { recursive: true });

  /** Write the log again with its run_end records changed by `change`. */
  async function rewriteEnds(runDir: string, change: (end: RunEnd) => RunEnd): Promise<void> {
    const path = join(runDir, "run.jsonl");
    const { records } = readRunLog(path);
    rmSync(path);
    const log = new RunLogWriter(path);
    for (const record of records) log.append(record.kind === "run_end" ? change(record) : record);
    await log.close();
  }

  it("absent (a log written before run_end carried one) reads as a finished run", async () => {
    const dir = tempDir("eb-status-");
    const runDir = join(dir, "old");
    finishedRun(runDir);
    await rewriteEnds(runDir, ({ status: _status, ...end }) => end);
    const before = readRunLog(join(runDir, "run.jsonl")).records;
    expect(before.at(-1)?.kind === "run_end" && before.at(-1)).not.toHaveProperty("status");

    const rendered = await cli(["report", runDir]);
    expect(rendered.code).toBe(0);
    expect(report(runDir).completeness.complete).toBe(true);
    // A resume finds nothing to do: the reports are written again and the log is left as it was.
    const resumed = await cli(["run", ...demoInputs(runDir), "--resume", runDir]);
    expect(resumed.code).toBe(0);
    expect(readRunLog(join(runDir, "run.jsonl")).records).toEqual(before);
    // Another run into the folder is told it holds a finished run, not one to resume.
    const again = await cli(["run", ...demo(runDir)]);
    expect(again.stderr).toContain("already holds a run");
  });

  it("cancelled (a stopped run) reads as a run that did not finish: partial report, and a resume finishes it", async () => {
    const dir = tempDir("eb-status-");
    const runDir = join(dir, "cancelled");
    finishedRun(runDir);
    // The log of a run stopped after its last unit, before it could end: its run_end says cancelled.
    await rewriteEnds(runDir, (end) => ({ ...end, status: "cancelled" }));
    expect((await cli(["report", runDir])).code).toBe(0);
    expect(report(runDir).completeness.complete).toBe(false);
    expect((await cli(["run", ...demo(join(dir, "cancelled"))])).stderr).toContain(
      "holds a run that did not finish: resume it with --resume",
    );

    const resumed = await cli(["run", ...demoInputs(runDir), "--resume", runDir]);
    expect(resumed.code).toBe(0);
    expect(report(runDir).completeness.complete).toBe(true);
    expect(
      readRunLog(join(runDir, "run.jsonl"))
        .records.filter((r) => r.kind === "run_end")
        .map((r) => r.status),
    ).toEqual(["cancelled", "success"]);
  });
});
