import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { RUN_LOCK_FILE } from "../../src/run/run-folder.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";
import { writeSlowExtractors } from "../support/slow-extractor.js";

/** One run per run folder: claimed atomically, refused to a second run, taken over from a dead one. */

const BIN = join(REPO, "dist/cli/bin.js");

function slowBench(): string {
  const dir = tempDir("eb-folder-");
  // Four conversations of the demo set and their golden memories: a run of a second or so.
  const conversations = readFileSync(join(REPO, "datasets/demo/conversations.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .slice(0, 4);
  const ids = new Set(conversations.map((line) => (JSON.parse(line) as { id: string }).id));
  const golden = readFileSync(join(REPO, "golden/demo/golden.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line && ids.has((JSON.parse(line) as { conversation_id: string }).conversation_id));
  writeFileSync(join(dir, "conversations.jsonl"), `${conversations.join("\n")}\n`);
  writeFileSync(join(dir, "golden.jsonl"), `${golden.join("\n")}\n`);
  writeSlowExtractors(dir, join(dir, "conversations.jsonl"), ["slow-a", "slow-b"]);
  writeFileSync(
    join(dir, "bench.yaml"),
    "baseline: slow-a.yaml\ncandidate: slow-b.yaml\ndataset: conversations.jsonl\ngolden: golden.jsonl\n",
  );
  return dir;
}

function runChild(dir: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, "run", "bench.yaml", ...args], {
    cwd: dir,
    env: { ...process.env, CI: "true", EB_DELAY_MS: "20" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

const runStarts = (log: string) => (readFileSync(log, "utf8").match(/"kind":"run_start"/g) ?? []).length;

/** The start time of a process as /proc gives it (what a lock records), when there is a /proc. */
function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function writeLock(runDir: string, pid: number): void {
  const start = procStart(pid);
  writeFileSync(
    join(runDir, RUN_LOCK_FILE),
    `${JSON.stringify({ pid, host: hostname(), started_at: "2026-01-01T00:00:00.000Z", ...(start ? { pid_start: start } : {}), nonce: "0123456789abcdef" })}\n`,
  );
}

describe.runIf(existsSync(BIN))("two runs started together into one folder", () => {
  it.each([1, 2])("never share a log: one runs, the other exits 2 saying why (trial %i)", async () => {
    const dir = slowBench();
    const [a, b] = await Promise.all([runChild(dir, ["--out", "shared"]), runChild(dir, ["--out", "shared"])]);
    const codes = [a.code, b.code].sort();
    expect(codes[0]).toBeLessThan(2);
    expect(codes[1]).toBe(2);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).toMatch(
      /^error: (shared is being written by another run \(process \d+, since .*\): one run per folder|.*shared already holds a run)/m,
    );
    expect(runStarts(join(dir, "shared", "run.jsonl"))).toBe(1);
    expect(readdirSync(join(dir, "shared"))).not.toContain(RUN_LOCK_FILE);
  });
});

describe("a run folder's lock", () => {
  it("left by a process that is gone is taken over by the resume", async () => {
    const dir = slowBench();
    const runDir = join(dir, "run");
    const first = await cli(["run", join(dir, "bench.yaml"), "--out", runDir]);
    expect(first.code).toBeLessThan(2);
    // As a kill -9 leaves it: the lock of a process that no longer runs, and no run_end.
    const lines = readFileSync(join(runDir, "run.jsonl"), "utf8").split("\n");
    writeFileSync(join(runDir, "run.jsonl"), `${lines.slice(0, 4).join("\n")}\n`);
    writeLock(runDir, spawnSync(process.execPath, ["-e", "0"]).pid!);
    const resumed = await cli(["run", join(dir, "bench.yaml"), "--resume", runDir]);
    expect(resumed.code).toBeLessThan(2);
    expect(readdirSync(runDir)).not.toContain(RUN_LOCK_FILE);
  });

  it("held by a running process refuses a resume, naming the process", async () => {
    const dir = slowBench();
    const runDir = join(dir, "run");
    mkdirSync(runDir);
    writeFileSync(join(runDir, "run.jsonl"), "");
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      writeLock(runDir, holder.pid!);
      const resumed = await cli(["run", join(dir, "bench.yaml"), "--resume", runDir]);
      expect(resumed.code).toBe(2);
      expect(resumed.stderr).toContain(
        `run is being written by another run (process ${holder.pid}, since 2026-01-01T00:00:00.000Z): one run per folder`,
      );
      const fresh = await cli(["run", join(dir, "bench.yaml"), "--out", runDir]);
      expect(fresh.code).toBe(2);
      expect(fresh.stderr).toContain(`being written by another run (process ${holder.pid}`);
    } finally {
      holder.kill("SIGKILL");
    }
  });
});

describe("an output folder the run cannot write", () => {
  /** A read-only file system, where this machine lets the tests mount one (root with the capability). */
  function readOnlyMount(): string | undefined {
    if (process.platform !== "linux" || process.getuid?.() !== 0) return undefined;
    const mount = join(tempDir("eb-ro-out-"), "mnt");
    mkdirSync(mount);
    return spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mount]).status === 0 ? mount : undefined;
  }
  const mount = readOnlyMount();

  it.runIf(mount !== undefined)("is named for what it is: a read-only file system, not a missing file", async () => {
    try {
      const run = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", join(mount!, "reports", "run")]);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe(
        `error: the run could not finish: cannot write the run folder ${join(mount!, "reports", "run")}: it is on a read-only file system (EROFS)\n`,
      );
    } finally {
      spawnSync("umount", [mount!]);
    }
  });
});

/**
 * The claim alone, raced many times: two processes, each with the claim loaded, are given a folder
 * on their stdin at the same moment, then claim it and, like a run, append to its log while they
 * hold it. Of each pair one claims it, the other is refused. The two processes race every trial, a
 * new folder each time, so the trials cost no process starts.
 */
const CLAIMER = `
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
const { claimRunDir, releaseRunDir } = await import(${JSON.stringify(join(REPO, "dist/run/run-folder.js"))});
process.stdout.write("ready\\n");
for await (const dir of createInterface({ input: process.stdin })) {
  try {
    claimRunDir(dir, true);
  } catch (error) {
    process.stdout.write(JSON.stringify({ refused: error.message, exitCode: error.exitCode }) + "\\n");
    continue;
  }
  appendFileSync(join(dir, "run.jsonl"), JSON.stringify({ pid: process.pid }) + "\\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  releaseRunDir(dir);
  process.stdout.write(JSON.stringify({ claimed: true }) + "\\n");
}
`;

interface Claim {
  claimed?: boolean;
  refused?: string;
  exitCode?: number;
}

/** A claimer process: `claim(dir)` hands it a folder and resolves with what it did; `end()` lets it exit. */
function claimer(): { ready: Promise<void>; claim: (dir: string) => Promise<Claim>; end: () => Promise<void> } {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CLAIMER], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  lines.on("line", (line) => waiting.shift()?.(line));
  const next = () =>
    Promise.race([
      new Promise<string>((resolve) => waiting.push(resolve)),
      exited.then((code) => Promise.reject(new Error(`claimer exited ${code}`))),
    ]);
  return {
    ready: next().then(() => undefined),
    claim: (dir) => {
      const line = next();
      child.stdin.write(`${dir}\n`);
      return line.then((text) => JSON.parse(text) as Claim);
    },
    end: async () => {
      child.stdin.end();
      expect(await exited).toBe(0);
    },
  };
}

describe.runIf(existsSync(BIN))("two claims of one folder at the same instant", () => {
  it("never both get it, over 30 trials: one log writer each time, the other refused with exit 2", async () => {
    const root = tempDir("eb-claim-race-");
    const trials = 30;
    const pair = [claimer(), claimer()];
    await Promise.all(pair.map((c) => c.ready));
    let raced = 0;
    for (let trial = 0; trial < trials; trial++) {
      const dir = join(root, `out-${trial}`);
      const results = await Promise.all(pair.map((c) => c.claim(dir)));
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      const refused = results.find((r) => r.refused)!;
      expect(refused.exitCode).toBe(2);
      expect(refused.refused).toMatch(
        /is being written by another run \(process \d+, since .*\): one run per folder|holds a run/,
      );
      if (refused.refused!.includes("being written by another run")) raced++;
      expect(readFileSync(join(dir, "run.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);
      expect(readdirSync(dir)).toEqual(["run.jsonl"]);
    }
    await Promise.all(pair.map((c) => c.end()));
    // Pairs did meet while the folder was held (on a busy machine one is sometimes given its folder late).
    expect(raced).toBeGreaterThanOrEqual(trials / 3);
  }, 180_000);
});
