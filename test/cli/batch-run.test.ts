import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { readRunLog } from "../../src/run/run-log.js";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import type { BatchRecord } from "../../src/schema/run-log.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer, type RecordedRequest } from "../support/model-server.js";
import { cli, REPO, tempDir } from "./helpers.js";
import { until } from "../support/until.js";

/**
 * `run --batch` end to end through the built CLI and the real SDKs against the loopback server: an
 * OpenAI (base_url) baseline, an Anthropic candidate and an Anthropic LLM judge, every call sent in
 * provider batches. The reports equal a live run's on the same scripted answers.
 */

const BIN = join(REPO, "dist/cli/bin.js");
const ENV = { ANTHROPIC_API_KEY: "fake.anthropic.key.batch", OPENAI_API_KEY: "fake.openai.key.batch" };
let server: ModelServer;
let dir: string;
let reference: BenchReport;

beforeAll(async () => {
  server = await startModelServer(fakeModel);
  dir = tempDir("eb-batch-");
  const conversations = readFileSync(join(REPO, "datasets/demo/conversations.jsonl"), "utf8")
    .trim()
    .split("\n")
    .slice(0, 6);
  const ids = new Set(conversations.map((line) => (JSON.parse(line) as { id: string }).id));
  writeFileSync(join(dir, "conversations.jsonl"), `${conversations.join("\n")}\n`);
  const golden = readFileSync(join(REPO, "golden/demo/golden.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter((line) => ids.has((JSON.parse(line) as { conversation_id: string }).conversation_id));
  writeFileSync(join(dir, "golden.jsonl"), `${golden.join("\n")}\n`);
  writeFileSync(
    join(dir, "baseline.yaml"),
    `name: b\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 1\n`,
  );
  writeFileSync(
    join(dir, "candidate.yaml"),
    `name: c\nextractor:\n  provider: anthropic\n  model: claude-haiku-4-5\n  base_url: ${server.anthropicUrl}\n  schema_version: 2\n`,
  );
  const live = await cli(["run", bench("cache-live"), "--out", join(dir, "live")], ENV);
  expect(live.code).toBe(1);
  reference = report(join(dir, "live"));
});
afterAll(() => server.close());
beforeEach(() => {
  server.setResponder(fakeModel);
  server.setBatchScript(() => ({ pollsBeforeEnd: 1 }));
});

function bench(cacheDir: string): string {
  const path = join(dir, `bench-${cacheDir}.yaml`);
  writeFileSync(
    path,
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.jsonl",
      "golden: golden.jsonl",
      "concurrency: 2",
      "min_paired_conversations: 2",
      "judge:",
      "  provider: anthropic",
      "  model: claude-opus-5-5",
      `  base_url: ${server.anthropicUrl}`,
      "  repeat_share: 0.5",
      "  pairwise: true",
      `cache: {dir: ${cacheDir}}`,
      "retries: {max_retries: 2, base_delay_ms: 1, max_delay_ms: 10}",
      "batch: {poll_interval_ms: 5}",
      "",
    ].join("\n"),
  );
  return path;
}

const report = (runDir: string): BenchReport =>
  BenchReportSchema.parse(JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")));
/** A report's value without its timings (latency), which differ between live and batched calls by design. */
const withoutLatency = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutLatency)
    : value && typeof value === "object"
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => !key.startsWith("latency"))
            .map(([key, v]) => [key, withoutLatency(v)]),
        )
      : value;
/** What the run measured and decided; timings and spend differ between live and batched runs by design. */
const measured = (r: BenchReport) => ({
  metrics: withoutLatency(r.metrics),
  vocabulary: r.vocabulary,
  recommendation: r.recommendation,
  gate: r.gate.checks.map((c) => [c.id, c.status, c.value]),
  noise: r.judge_noise,
  pairwise: r.pairwise,
  conversations: r.conversations,
  completeness: r.completeness,
});
const batchRecords = (runDir: string): BatchRecord[] =>
  readRunLog(join(runDir, "run.jsonl")).records.filter((r): r is BatchRecord => r.kind === "batch");
const tokens = (r: BenchReport) =>
  r.model_usage!.accounts.reduce((sum, a) => sum + a.input_tokens + a.output_tokens, 0);

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  return statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => filesUnder(join(path, name))) : [path];
}

function expectNoKeysWritten(...paths: string[]): void {
  for (const file of paths.flatMap(filesUnder)) {
    const text = readFileSync(file, "utf8");
    for (const key of Object.values(ENV)) expect(text.includes(key), `${file} holds an API key`).toBe(false);
  }
}

describe("run --batch", () => {
  it("refuses batch settings out of range before any call, naming the file and the setting", async () => {
    const path = join(dir, "bench-bad-batch.yaml");
    writeFileSync(
      path,
      readFileSync(bench("cache-bad"), "utf8").replace("batch: {poll_interval_ms: 5}", "batch: {max_requests: 0}"),
    );
    const hits = server.batchHits.length;
    const live = server.requests.length;
    const result = await cli(["run", path, "--batch", "--out", join(dir, "bad")], ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("bench-bad-batch.yaml");
    expect(result.stderr).toContain("batch.max_requests");
    expect(existsSync(join(dir, "bad"))).toBe(false);
    expect(server.batchHits.length + server.requests.length).toBe(hits + live);
  });

  it("sends every extract and judge call in batches, none live, and reports what the live run reported at half the price", async () => {
    const live = server.requests.length;
    const created = server.batches.length;
    const runDir = join(dir, "batched");
    const result = await cli(["run", bench("cache-batched"), "--batch", "--out", runDir], ENV);
    expect(result.code).toBe(1);
    expect(server.requests.length).toBe(live);
    const batches = server.batches.slice(created);
    expect(new Set(batches.map((b) => b.protocol))).toEqual(new Set(["anthropic", "openai"]));
    // Two rounds: the extractions, batched per model, then every judge task (usefulness and coverage,
    // the noise repeats, junk, both pairwise orders). A round's calls go in one batch when they arrive
    // together (test/providers/batch.test.ts); on a busy machine they may arrive far enough apart to
    // take two, so what is pinned here is that each batch holds one model's calls and each model's
    // calls were batched.
    const models = batches.map((b) => new Set(b.calls.map((c) => String(c.request.body.model))));
    expect(models.every((set) => set.size === 1)).toBe(true);
    expect(new Set(models.flatMap((set) => [...set]))).toEqual(
      new Set(["gpt-4.1-mini", "claude-haiku-4-5", "claude-opus-5-5"]),
    );
    const judgeTasks = new Set(
      batches.flatMap((b) => b.calls.map((c) => /Task: (\w+ \w+)/.exec(c.request.user)?.[1])).filter(Boolean),
    );
    expect(judgeTasks).toEqual(new Set(["rate the", "decide whether", "two extractors"]));

    const batched = report(runDir);
    expect(measured(batched)).toEqual(measured(reference));
    const usage = batched.model_usage!;
    expect(usage.accounts.every((a) => a.requests === 0 && a.batch_calls === a.calls && a.calls > 0)).toBe(true);
    expect(usage.accounts.reduce((sum, a) => sum + a.calls, 0)).toBe(
      batches.reduce((sum, b) => sum + b.calls.length, 0),
    );
    expect(tokens(batched)).toBe(tokens(reference));
    // The preflight checks go live, at the live price, in both runs; every other call is batched at half.
    const preflight = (accounts: typeof usage.accounts) => accounts.reduce((sum, a) => sum + a.preflight_cost_usd, 0);
    expect(usage.total_cost_usd - preflight(usage.accounts)).toBeCloseTo(
      (reference.model_usage!.total_cost_usd - preflight(reference.model_usage!.accounts)) / 2,
      10,
    );
    // Every batch is in the log with its calls' cache keys.
    expect(
      batchRecords(runDir)
        .map((r) => r.batch_id)
        .sort(),
    ).toEqual(batches.map((b) => b.id).sort());
    expect(result.stdout).toMatch(/judge .* (\d+) calls \(\1 batched\)/);
    expect(readFileSync(join(runDir, "report.md"), "utf8")).toContain(
      "Batched calls are billed at half the live price.",
    );
    const html = readFileSync(join(runDir, "report.html"), "utf8");
    expect(html).toMatch(/>(\d+) \(\1 batched\)</);
    expect(html).toContain("Batched calls are billed at half the live price.");
    expectNoKeysWritten(runDir, join(dir, "cache-batched"));
  });

  it("makes live exactly the calls a batch returned as errored", async () => {
    const failing = (request: RecordedRequest) =>
      request.batch !== undefined && request.system.startsWith("You extract") && request.user.includes("[turn ");
    let faulted = 0;
    server.setResponder((request) => {
      if (failing(request) && faulted < 3) {
        faulted++;
        return { fault: "server_error" };
      }
      return fakeModel(request);
    });
    const live = server.requests.length;
    const runDir = join(dir, "partial");
    const result = await cli(["run", bench("cache-partial"), "--batch", "--out", runDir], ENV);
    expect(result.code).toBe(1);
    expect(faulted).toBe(3);
    const sentLive = server.requests.slice(live);
    expect(sentLive).toHaveLength(3);
    expect(sentLive.every((r) => r.system.startsWith("You extract"))).toBe(true);
    expect(measured(report(runDir))).toEqual(measured(reference));
    const usage = report(runDir).model_usage!;
    expect(usage.accounts.reduce((sum, a) => sum + a.calls - a.batch_calls, 0)).toBe(3);
  });

  it("makes the calls of an expired batch live", async () => {
    let expired = 0;
    server.setBatchScript(() => (expired++ === 0 ? { expire: true, pollsBeforeEnd: 1 } : { pollsBeforeEnd: 1 }));
    const live = server.requests.length;
    const created = server.batches.length;
    const runDir = join(dir, "expired");
    const result = await cli(["run", bench("cache-expired"), "--batch", "--out", runDir], ENV);
    expect(result.code).toBe(1);
    const first = server.batches[created]!;
    expect(first.state).toBe("expired");
    expect(server.requests.length - live).toBe(first.calls.length);
    expect(measured(report(runDir))).toEqual(measured(reference));
  });

  it("killed after submitting batches, resumed: polls the same batches, submits none of their calls again, and reports what an uninterrupted run reported", async () => {
    const runDir = join(dir, "killed");
    const cacheDir = "cache-killed";
    const created = server.batches.length;
    // The first batches stay in progress while the run is alive.
    server.setBatchScript(() => ({ pollsBeforeEnd: 1_000_000 }));
    const child = spawn(process.execPath, [BIN, "run", bench(cacheDir), "--batch", "--out", runDir], {
      cwd: dir,
      env: { ...process.env, ...ENV, CI: "true" },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("close", resolve));
    const log = join(runDir, "run.jsonl");
    // Both extract batches (the OpenAI baseline's and the Anthropic candidate's) are logged.
    await until(
      () => existsSync(log) && (readFileSync(log, "utf8").match(/"kind":"batch"/g) ?? []).length >= 2,
      exited,
      "both extract batches were logged",
    );
    child.kill("SIGKILL");
    await exited;

    const submitted = batchRecords(runDir);
    const pending = server.batches.slice(created);
    // Every logged batch exists (one created in the instant before the kill may be unlogged: its calls are sent again).
    expect(pending.map((b) => b.id)).toEqual(expect.arrayContaining(submitted.map((r) => r.batch_id)));
    for (const batch of pending) batch.script.pollsBeforeEnd = batch.polls + 1; // they end while the run is down
    server.setBatchScript(() => ({ pollsBeforeEnd: 1 }));
    const live = server.requests.length;
    const hits = server.batchHits.length;

    const resumed = await cli(["run", bench(cacheDir), "--batch", "--resume", runDir], ENV);
    expect(resumed.code).toBe(1);
    expect(server.requests.length).toBe(live);
    // Each recorded batch was polled again and its results read.
    for (const { batch_id } of submitted)
      expect(server.batchHits.slice(hits).some((hit) => hit.method === "GET" && hit.path.includes(batch_id))).toBe(
        true,
      );
    // The resumed part submitted none of the recorded calls again.
    const recordedKeys = new Set(submitted.flatMap((r) => r.requests.map((q) => q.key)));
    const later = batchRecords(runDir).slice(submitted.length);
    expect(later.length).toBeGreaterThan(0);
    expect(later.flatMap((r) => r.requests).filter((q) => recordedKeys.has(q.key))).toEqual([]);
    const recordedCalls = submitted.reduce((sum, r) => sum + r.requests.length, 0);
    expect(server.batches.slice(created + pending.length).reduce((sum, b) => sum + b.calls.length, 0)).toBe(
      later.reduce((sum, r) => sum + r.requests.length, 0),
    );

    const final = report(runDir);
    expect(final.completeness.complete).toBe(true);
    expect(measured(final)).toEqual(measured(reference));
    // Every call of the run was paid once: the recorded batches' calls and the resumed part's.
    expect(final.model_usage!.accounts.reduce((sum, a) => sum + a.batch_calls, 0)).toBe(
      recordedCalls + later.reduce((sum, r) => sum + r.requests.length, 0),
    );
    expectNoKeysWritten(runDir, join(dir, cacheDir));
  });

  it("stopped with Ctrl-C while waiting on batches: exits promptly with the batches kept in the log for a resume", async () => {
    const runDir = join(dir, "interrupted");
    server.setBatchScript(() => ({ pollsBeforeEnd: 1_000_000 }));
    const child = spawn(process.execPath, [BIN, "run", bench("cache-interrupted"), "--batch", "--out", runDir], {
      cwd: dir,
      env: { ...process.env, ...ENV, CI: "true" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const log = join(runDir, "run.jsonl");
    await until(
      () => existsSync(log) && (readFileSync(log, "utf8").match(/"kind":"batch"/g) ?? []).length >= 2,
      exited,
      "both extract batches were logged",
    );
    // A poll timer left running would keep the process alive past the test's timeout: it is killed then.
    onTestFinished(() => void child.kill("SIGKILL"));
    child.kill("SIGINT");
    // Units in flight get the stop grace to finish; then the process exits.
    expect(await exited).toBe(130);
    expect(batchRecords(runDir)).toHaveLength(2);
  });
});
