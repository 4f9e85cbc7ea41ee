import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunLog } from "../../src/run/run-log.js";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { until } from "../support/until.js";

/**
 * Crash and resume with real model clients: runs of the built CLI against a loopback server that
 * answers after a delay, killed with SIGKILL while extracting, while judging and once the log is
 * complete, then resumed. The resumed report equals an uninterrupted run's, no unit is logged twice,
 * and no request is sent twice but the few in flight at the kill.
 */

const BIN = join(REPO, "dist/cli/bin.js");
const ENV = { ANTHROPIC_API_KEY: "fake.anthropic.key.crash", OPENAI_API_KEY: "fake.openai.key.crash" };
const CONCURRENCY = 2;
let server: ModelServer;
let dir: string;

beforeAll(async () => {
  server = await startModelServer((request) => {
    const answer = fakeModel(request);
    return typeof answer === "string"
      ? { text: answer, delay_ms: 15 }
      : "text" in answer
        ? { ...answer, delay_ms: 15 }
        : answer;
  });
  dir = tempDir("eb-crash-");
  const conversations = readFileSync(join(REPO, "datasets/demo/conversations.jsonl"), "utf8")
    .trim()
    .split("\n")
    .slice(0, 8);
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
});
afterAll(() => server.close());

function bench(cacheDir: string): string {
  const path = join(dir, `bench-${cacheDir}.yaml`);
  writeFileSync(
    path,
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.jsonl",
      "golden: golden.jsonl",
      `concurrency: ${CONCURRENCY}`,
      "min_paired_conversations: 2",
      "judge:",
      "  provider: anthropic",
      "  model: claude-opus-5-5",
      `  base_url: ${server.anthropicUrl}`,
      "  repeat_share: 0.5",
      `cache: {dir: ${cacheDir}}`,
      `rate_limits: {anthropic: {concurrency: ${CONCURRENCY}}, openai: {concurrency: ${CONCURRENCY}}}`,
      "",
    ].join("\n"),
  );
  return path;
}

const report = (runDir: string): BenchReport =>
  BenchReportSchema.parse(JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")));
const measured = (r: BenchReport) => ({
  metrics: r.metrics.delta,
  recall: [r.metrics.baseline.recall, r.metrics.candidate.recall],
  vocabulary: r.vocabulary,
  gate: r.gate.checks.map((c) => [c.id, c.status, c.value]),
  noise: r.judge_noise,
  conversations: r.conversations,
});
const recordsIn = (log: string, pattern: RegExp) =>
  existsSync(log) ? (readFileSync(log, "utf8").match(pattern) ?? []).length : 0;

describe("SIGKILL and resume with model extractors and an LLM judge", () => {
  let reference: BenchReport;
  /** Identical requests an uninterrupted run sends by design: the judge-noise repeats. */
  let repeatedByDesign = 0;
  const repeatedSince = (index: number) => {
    const bodies = server.requests.slice(index).map((r) => JSON.stringify(r.body));
    return bodies.length - new Set(bodies).size;
  };

  beforeAll(async () => {
    const before = server.requests.length;
    const result = await cli(["run", bench("cache-reference"), "--out", join(dir, "reference")], ENV);
    expect(result.code).toBe(1);
    reference = report(join(dir, "reference"));
    repeatedByDesign = repeatedSince(before);
  });

  it.each([
    ["while extracting", /"kind":"dry_run"/g, 5],
    ["while judging", /"task":"junk"/g, 1],
    ["once the log is complete, while the reports are written", /"kind":"run_end"/g, 1],
  ])(
    "killed %s, resumed: the same report, no unit twice, no answered request sent again",
    async (_label, pattern, count) => {
      const name = `killed-${count}-${String(pattern).length}`;
      const runDir = join(dir, name);
      const cacheDir = `cache-${name}`;
      const before = server.requests.length;
      const child = spawn(process.execPath, [BIN, "run", bench(cacheDir), "--out", runDir], {
        cwd: dir,
        env: { ...process.env, ...ENV, CI: "true" },
        stdio: "ignore",
      });
      const exited = new Promise((resolve) => child.on("close", resolve));
      await until(
        () => recordsIn(join(runDir, "run.jsonl"), pattern) >= count,
        exited,
        `${count} records matching ${pattern} were logged`,
      );
      child.kill("SIGKILL");
      await exited;

      const resumed = await cli(["run", bench(cacheDir), "--resume", runDir], ENV);
      expect(resumed.code).toBe(1);
      expect(report(runDir).completeness.complete).toBe(true);
      expect(measured(report(runDir))).toEqual(measured(reference));

      const keys = readRunLog(join(runDir, "run.jsonl")).records.flatMap((r) =>
        r.kind === "dry_run"
          ? [`dry ${r.role} ${r.conversation_id}`]
          : r.kind === "judgement"
            ? [`${r.task} ${r.role} ${r.conversation_id} ${r.repeat ?? 0}`]
            : [],
      );
      expect(keys.length).toBe(new Set(keys).size);
      // Answers are cached before their unit is logged: beyond the judge-noise repeats every run sends,
      // only requests still unanswered at the kill (at most one per concurrent unit and provider) go out again.
      expect(repeatedSince(before) - repeatedByDesign).toBeLessThanOrEqual(2 * CONCURRENCY);
    },
  );
});
