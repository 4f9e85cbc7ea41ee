import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { readRunLog } from "../../src/run/run-log.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { cli, REPO, tempDir } from "./helpers.js";

const ANTHROPIC_KEY = "fake.anthropic.key.do.not.leak.7f3a";
const OPENAI_KEY = "fake.openai.key.do.not.leak.19c2";
const ENV = { ANTHROPIC_API_KEY: ANTHROPIC_KEY, OPENAI_API_KEY: OPENAI_KEY };

let server: ModelServer;
let dir: string;

function writeBench(name: string, cacheDir: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.json",
      "golden: golden.jsonl",
      "labels: labels.jsonl",
      "judge:",
      "  provider: anthropic",
      "  model: claude-opus-5-5",
      `  base_url: ${server.anthropicUrl}`,
      "  repeat_share: 0.5",
      "  pairwise: true",
      "cache:",
      `  dir: ${cacheDir}`,
      "retries: {max_retries: 3, base_delay_ms: 1, max_delay_ms: 20}",
      "rate_limits:",
      "  anthropic: {concurrency: 2, requests_per_minute: 1000}",
      "",
    ].join("\n"),
  );
  return path;
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true })
    .map((f) => join(root, String(f)))
    .filter((f) => statSync(f).isFile());
}

const readReport = (out: string): BenchReport =>
  BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));

beforeAll(async () => {
  server = await startModelServer((request, index) =>
    index === 0 ? { fault: "rate_limit", retryAfterSeconds: 0 } : fakeModel(request),
  );
  dir = tempDir("eb-models-");
  copyFileSync(join(REPO, "test/fixtures/good/conversations.json"), join(dir, "conversations.json"));
  copyFileSync(join(REPO, "test/fixtures/good/golden.jsonl"), join(dir, "golden.jsonl"));
  writeFileSync(
    join(dir, "labels.jsonl"),
    [
      {
        conversation_id: "conv-1",
        text: "Alice said: I work at Stripe as a backend engineer.",
        usefulness: 2,
        junk: true,
      },
      {
        conversation_id: "conv-2",
        text: "Bob said: My daughter Ella starts school in April.",
        usefulness: 5,
        junk: false,
      },
    ]
      .map((label) => JSON.stringify(label))
      .join("\n"),
  );
  writeFileSync(
    join(dir, "baseline.yaml"),
    `name: gpt-baseline\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 1\n`,
  );
  writeFileSync(
    join(dir, "candidate.yaml"),
    `name: claude-candidate\nextractor:\n  provider: anthropic\n  model: claude-haiku-4-5\n  base_url: ${server.anthropicUrl}\n  schema_version: 2\n  custom_instructions: Prefer atomic facts.\n`,
  );
});
afterAll(() => server.close());

describe("run with an anthropic candidate, an openai baseline and an anthropic judge on a loopback server", () => {
  let first: Awaited<ReturnType<typeof cli>>;
  let report: BenchReport;
  let requestsAfterFirst = 0;
  const out = () => join(dir, "run-1");

  beforeAll(async () => {
    first = await cli(["run", writeBench("bench.yaml", "cache"), "--out", out()], ENV);
    requestsAfterFirst = server.requests.length;
    if (process.env.SHOW_OUTPUT)
      console.log(first.stdout, first.stderr, readFileSync(join(out(), "report.md"), "utf8"));
    report = readReport(out());
  });

  it("completes and reports precision, recall, junk, judge noise, pairwise and cost", () => {
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(1);
    expect(report.run.complete).toBe(true);
    expect(report.judge).toMatchObject({ id: "anthropic:claude-opus-5-5", kind: "llm" });
    for (const role of ["baseline", "candidate"] as const) {
      const m = report.metrics[role];
      expect(m.candidates).toBe(3); // one memory per user turn longer than 12 characters
      expect(m.precision.value).toBe(1);
      expect(m.recall).toMatchObject({ value: 1, covered: 3, golden: 3 });
      expect(m.junk.judged).toBe(3);
      expect(m.junk.rate).toBe(0);
      expect(m.operating.json_failures).toBe(0);
    }
    expect(report.judge_noise).toMatchObject({
      units: 2,
      usefulness: { disagreements: 0 },
      coverage: { disagreements: 0 },
    });
    expect(report.pairwise).toMatchObject({ conversations: 2, ties: 2, consistency_rate: 0 }); // "A" in both orders: position bias, a tie
    const usage = report.model_usage!;
    expect(usage.accounts.map((a) => [a.scope, a.provider, a.model])).toEqual([
      ["baseline", "openai", "gpt-4.1-mini"],
      ["candidate", "anthropic", "claude-haiku-4-5"],
      ["judge", "anthropic", "claude-opus-5-5"],
    ]);
    expect(usage.total_cost_usd).toBeGreaterThan(0);
    expect(usage.accounts.reduce((sum, a) => sum + a.retries, 0)).toBe(1); // the scripted 429
    expect(usage.accounts.reduce((sum, a) => sum + a.requests, 0)).toBe(requestsAfterFirst);
  });

  it("compares the LLM judge with the human labels", () => {
    // Both configs: the judge rates every memory useful and none junk; the labels say conv-1's is neither.
    expect(report.agreement).toMatchObject({
      labels: 2,
      matched: 2,
      usefulness: { pairs: 4, accuracy: 0.5, disagreements_total: 2 },
      junk: { pairs: 4, accuracy: 0.5, disagreements_total: 2 },
    });
  });

  it("prints the cost and the judge noise beside the deltas, and writes them into report.md", () => {
    expect(first.stdout).toMatch(/Model calls \(this run\):/);
    expect(first.stdout).toMatch(/judge\s+anthropic claude-opus-5-5: \d+ calls/);
    expect(first.stdout).toMatch(/precision .*corrected for judge noise/);
    expect(first.stdout).toMatch(
      /Judge noise: \d+ units judged a second time, the cache bypassed\. usefulness verdicts: flip rate 0\.0% per verdict/,
    );
    const markdown = readFileSync(join(out(), "report.md"), "utf8");
    expect(markdown).toContain("### Judge noise");
    expect(markdown).toContain("### Model usage and cost (this run)");
    expect(markdown).toContain("### Pairwise comparison");
    const page = readFileSync(join(out(), "report.html"), "utf8");
    expect(page).toContain('<section id="models"><h2>Models, cost and judge noise</h2>');
    expect(page).toContain("anthropic claude-opus-5-5");
    expect(page).toContain("usefulness verdicts: flip rate 0.0% per verdict");
  });

  it("serves the same run again entirely from the cache", async () => {
    const second = await cli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run-2")], ENV);
    expect(second.code).toBe(1);
    expect(server.requests.length).toBe(requestsAfterFirst);
    const again = readReport(join(dir, "run-2"));
    expect(again.model_usage!.accounts.every((a) => a.calls === 0 && a.requests === 0 && a.cache_hits > 0)).toBe(true);
    expect(again.model_usage!.total_cost_usd).toBe(0);
    expect(again.metrics.candidate.recall).toEqual(report.metrics.candidate.recall);
    const stats = await cli(["cache", "stats", "--bench", join(dir, "bench.yaml")]);
    expect(stats.stdout).toMatch(/cached answers/);
    expect(stats.stdout).toMatch(/anthropic:claude-opus-5-5: \d+/);
  });

  it("empties the cache with `cache clear`, after which a run calls the models again", async () => {
    const cleared = await cli(["cache", "clear", "--dir", join(dir, "cache")]);
    expect(cleared.stdout).toMatch(/removed [1-9]\d* cached answers/);
    expect((await cli(["cache", "stats", "--dir", join(dir, "cache")])).stdout).toContain(": 0 cached answers");
    const before = server.requests.length;
    expect((await cli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run-3")], ENV)).code).toBe(1);
    expect(server.requests.length).toBeGreaterThan(before);
  });

  it("gates a report.json written before the model sections existed", async () => {
    const older = { ...JSON.parse(readFileSync(join(out(), "report.json"), "utf8")) } as Record<string, unknown>;
    delete older.judge_noise;
    delete older.pairwise;
    delete older.model_usage;
    const file = join(dir, "older-report.json");
    writeFileSync(file, JSON.stringify(older));
    expect((await cli(["gate", file])).code).toBe(report.gate.passed ? 0 : 1);
  });

  it("never writes or prints the API keys", () => {
    const files = filesUnder(dir);
    expect(files.some((f) => f.includes(join("cache", "")))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toContain(ANTHROPIC_KEY);
      expect(text, file).not.toContain(OPENAI_KEY);
    }
    for (const text of [first.stdout, first.stderr]) {
      expect(text).not.toContain(ANTHROPIC_KEY);
      expect(text).not.toContain(OPENAI_KEY);
    }
    expect(server.requests.every((r) => r.key === ANTHROPIC_KEY || r.key === OPENAI_KEY)).toBe(true);
  });
});

describe("dry with a model extractor", () => {
  it("prints the candidates of one conversation, the key used and never shown", async () => {
    server.setResponder(fakeModel);
    const result = await cli(
      [
        "dry",
        "--config",
        join(dir, "candidate.yaml"),
        "--dataset",
        join(dir, "conversations.json"),
        "--conversation",
        "conv-1",
        "--cache",
        "off",
      ],
      ENV,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("conv-1: 2 candidates from 3 turns");
    expect(result.stdout).toContain("[fact] Alice · says · I work at Stripe as a backend engineer.");
    expect(result.stdout + result.stderr).not.toContain(ANTHROPIC_KEY);
  });
});

describe("run failures with real models", () => {
  it("replay-only with an empty cache stops with exit 3 naming the request, and keeps the run log", async () => {
    const before = server.requests.length;
    const out = join(dir, "replay");
    const result = await cli(
      ["run", writeBench("bench-empty.yaml", "empty-cache"), "--cache", "replay-only", "--out", out],
      ENV,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /the replay-only cache has no answer for extract (baseline|candidate) conv-\d window 1\/1 \((openai gpt-4\.1-mini|anthropic claude-haiku-4-5), template extract@2/,
    );
    expect(result.stderr).toContain("The run log is kept in");
    expect(server.requests.length).toBe(before);
    expect(readRunLog(join(out, "run.jsonl")).records.at(-1)).toMatchObject({ kind: "run_end", status: "error" });
  });

  it("stops new calls once --max-cost is reached: exit 3, run log kept with the usage", async () => {
    const out = join(dir, "costly");
    const result = await cli(
      ["run", join(dir, "bench.yaml"), "--cache", "off", "--max-cost", "0.000001", "--out", out],
      ENV,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("the cost limit of $0.000001 was reached");
    const { records } = readRunLog(join(out, "run.jsonl"));
    const usage = records.find((r) => r.kind === "model_usage");
    expect(usage).toMatchObject({ max_cost_usd: 0.000001, stopped: expect.stringContaining("cost limit") });
    // The log ends saying the run was ended by an error; the report reads it as a run that did not finish.
    expect(records.at(-1)).toMatchObject({ kind: "run_end", status: "error" });
    const rendered = await cli(["report", out]);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toContain("stopped early");
  });

  it("refuses to start without an API key, naming the variable and not its value (exit 2)", async () => {
    const before = server.requests.length;
    const out = join(dir, "no-key");
    const result = await cli(["run", join(dir, "bench.yaml"), "--out", out], { OPENAI_API_KEY: OPENAI_KEY });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `missing API key: set ANTHROPIC_API_KEY in the environment, for the candidate config (${join(dir, "candidate.yaml")}) and the judge (${join(dir, "bench.yaml")})\n`,
    );
    expect(result.stderr).not.toContain(OPENAI_KEY);
    expect(existsSync(out)).toBe(false);
    expect(server.requests.length).toBe(before);
  });
});
