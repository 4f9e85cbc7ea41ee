import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer, type RecordedRequest, type Scripted } from "../support/model-server.js";
import { cli, REPO, tempDir } from "./helpers.js";

const ENV = { ANTHROPIC_API_KEY: "fake.anthropic.key.current.1", OPENAI_API_KEY: "fake.openai.key.current.2" };

let server: ModelServer;
let dir: string;
/** Per-test answers: a function of the request, falling back to the fake model. */
let answer: (request: RecordedRequest) => Scripted | undefined = () => undefined;

const readReport = (out: string): BenchReport =>
  BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));

interface Model {
  provider: "anthropic" | "openai";
  model: string;
  extra?: string[];
  base_url?: string;
}

function modelLines(model: Model, indent: string): string[] {
  const url = model.base_url ?? (model.provider === "anthropic" ? server.anthropicUrl : server.openaiUrl);
  return [`provider: ${model.provider}`, `model: ${model.model}`, `base_url: ${url}`, ...(model.extra ?? [])].map(
    (line) => indent + line,
  );
}

/** A bench folder: two extractor configs and a judge, on the fixture dataset, its own cache. */
function bench(name: string, baseline: Model, candidate: Model, judge: Model, extra: string[] = []): string {
  const folder = join(dir, name);
  writeFileSync(
    join(dir, `${name}-baseline.yaml`),
    ["name: base", "extractor:", "  schema_version: 1", ...modelLines(baseline, "  "), ""].join("\n"),
  );
  writeFileSync(
    join(dir, `${name}-candidate.yaml`),
    ["name: cand", "extractor:", "  schema_version: 2", ...modelLines(candidate, "  "), ""].join("\n"),
  );
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      `baseline: ${name}-baseline.yaml`,
      `candidate: ${name}-candidate.yaml`,
      "dataset: conversations.json",
      "golden: golden.jsonl",
      "judge:",
      ...modelLines(judge, "  "),
      "cache:",
      `  dir: ${folder}-cache`,
      "retries: {max_retries: 2, base_delay_ms: 1, max_delay_ms: 20}",
      ...extra,
      "",
    ].join("\n"),
  );
  return path;
}

const failedUnits = (report: BenchReport) =>
  (["baseline", "candidate"] as const).reduce(
    (sum, role) =>
      sum +
      report.completeness[role].failed +
      Object.values(report.completeness[role].judge_errors).reduce((a, b) => a + b, 0),
    0,
  );

beforeAll(async () => {
  server = await startModelServer((request) => answer(request) ?? fakeModel(request));
  dir = tempDir("eb-current-");
  copyFileSync(join(REPO, "test/fixtures/good/conversations.json"), join(dir, "conversations.json"));
  copyFileSync(join(REPO, "test/fixtures/good/golden.jsonl"), join(dir, "golden.jsonl"));
});
afterAll(() => server.close());

describe("a first run against current models, on a server that validates as the 2026 APIs do", () => {
  it("runs gpt-5-family extractors and judge with no failed unit: max_completion_tokens, no temperature, strict json_schema", async () => {
    answer = () => undefined;
    const start = server.requests.length;
    const path = bench(
      "gpt5",
      { provider: "openai", model: "gpt-5.4-mini", extra: ["reasoning_effort: low"] },
      { provider: "openai", model: "gpt-5.6-luna" },
      { provider: "openai", model: "gpt-5.4", extra: ["reasoning_effort: medium"] },
    );
    const run = await cli(["run", path, "--out", join(dir, "gpt5-run")], ENV);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(1);
    const report = readReport(join(dir, "gpt5-run"));
    expect(failedUnits(report)).toBe(0);
    expect(report.metrics.candidate.candidates).toBeGreaterThan(0);
    const sent = server.requests.slice(start);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => r.rejected)).toEqual([]);
    for (const request of sent) {
      expect(request.body).toHaveProperty("max_completion_tokens");
      expect(request.body).not.toHaveProperty("max_tokens");
      expect(request.body).not.toHaveProperty("temperature");
      expect(request.body.response_format).toMatchObject({ type: "json_schema", json_schema: { strict: true } });
    }
    const judge = sent.filter((r) => r.body.model === "gpt-5.4");
    expect(judge.every((r) => r.body.reasoning_effort === "medium")).toBe(true);
    // The judge's calls of one conversation share their prefix: one system prompt, the conversation first, one cache key.
    expect(new Set(judge.map((r) => r.system)).size).toBe(1);
    expect(
      judge.every(
        (r) => r.user.startsWith("Conversation ") && /^judge-[0-9a-f]{16}$/.test(String(r.body.prompt_cache_key)),
      ),
    ).toBe(true);
    // One preflight per model, answered before the first paid call.
    expect(server.preflights.map((r) => r.body.model)).toEqual(
      expect.arrayContaining(["gpt-5.4-mini", "gpt-5.6-luna", "gpt-5.4"]),
    );
  });

  it("runs current Claude extractors and judge with no failed unit: structured outputs, effort, adaptive thinking, no temperature", async () => {
    answer = () => undefined;
    const start = server.requests.length;
    const path = bench(
      "claude",
      { provider: "anthropic", model: "claude-haiku-5-5" },
      { provider: "anthropic", model: "claude-sonnet-5-5", extra: ["effort: low", "thinking: adaptive"] },
      { provider: "anthropic", model: "claude-opus-5-5", extra: ["effort: medium"] },
    );
    const run = await cli(["run", path, "--out", join(dir, "claude-run")], ENV);
    expect(run.stderr).not.toMatch(/error/);
    const report = readReport(join(dir, "claude-run"));
    expect(failedUnits(report)).toBe(0);
    const sent = server.requests.slice(start);
    expect(sent.filter((r) => r.rejected)).toEqual([]);
    for (const request of sent) {
      expect(request.body).not.toHaveProperty("temperature");
      expect(request.body.output_config).toMatchObject({ format: { type: "json_schema" } });
    }
    const sonnet = sent.filter((r) => r.body.model === "claude-sonnet-5-5");
    expect(sonnet.length).toBeGreaterThan(0);
    expect(
      sonnet.every(
        (r) =>
          (r.body.output_config as { effort?: string }).effort === "low" &&
          (r.body.thinking as { type?: string }).type === "adaptive",
      ),
    ).toBe(true);
  });

  it("refuses a temperature for an Anthropic model where the config is loaded: exit 2, file, line, and why", async () => {
    const path = bench(
      "claude-temp",
      { provider: "anthropic", model: "claude-haiku-5-5", extra: ["temperature: 0"] },
      { provider: "anthropic", model: "claude-haiku-5-5" },
      {
        provider: "anthropic",
        model: "claude-haiku-5-5",
      },
    );
    const run = await cli(["run", path, "--out", join(dir, "claude-temp-run")], ENV);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/claude-temp-baseline\.yaml:\d+.*temperature.*takes no temperature/s);
  });

  it("reports a truncated answer as truncated with the budget to set, retried once at double max_tokens, and asks again on the next run", async () => {
    // conv-1's extraction is always cut off; everything else answers normally.
    answer = (request) =>
      request.system.startsWith("You extract") && request.user.includes("Conversation conv-1")
        ? { text: '{"memories": [{"text": "Alice wo', stop: "max_tokens" }
        : undefined;
    const path = bench(
      "trunc",
      { provider: "openai", model: "gpt-5.4-mini", extra: ["max_tokens: 1000"] },
      { provider: "openai", model: "gpt-5.4-mini", extra: ["max_tokens: 1000"] },
      { provider: "openai", model: "gpt-4.1" },
    );
    const start = server.requests.length;
    const first = await cli(["run", path, "--out", join(dir, "trunc-1")], ENV);
    const report = readReport(join(dir, "trunc-1"));
    expect(report.completeness.baseline.failed_by_kind).toEqual({ truncated: 1 });
    const log = readFileSync(join(dir, "trunc-1", "run.jsonl"), "utf8");
    expect(log).toContain("the answer was cut off at max_tokens 2000");
    expect(log).toContain("raise max_tokens (and max_tokens_ceiling) to 4000 or more");
    const conv1 = server.requests
      .slice(start)
      .filter((r) => r.system.startsWith("You extract") && r.user.includes("Conversation conv-1"));
    // Both configs share one identical request (same model, same prompt): one first try and one retry at double the budget.
    expect(conv1.map((r) => r.body.max_completion_tokens)).toEqual([1000, 2000]);
    expect(first.stdout + first.stderr).toMatch(/truncated/);
    const again = server.requests.length;
    await cli(["run", path, "--out", join(dir, "trunc-2")], ENV);
    const asked = server.requests.slice(again).filter((r) => r.system.startsWith("You extract"));
    // The failed answers were never cached: only conv-1 is asked again; everything else comes from the cache.
    expect(asked.length).toBe(2);
    expect(asked.every((r) => r.user.includes("Conversation conv-1"))).toBe(true);
  });

  it("reports a refusal and an empty answer as failure kinds of their own", async () => {
    answer = (request) => {
      if (!request.system.startsWith("You extract")) return undefined;
      if (request.user.includes("Conversation conv-1")) return { text: "", refusal: "I can't help with that." };
      if (request.user.includes("Conversation conv-2")) return "";
      return undefined;
    };
    const path = bench(
      "refuse",
      { provider: "openai", model: "gpt-5.4-nano" },
      { provider: "anthropic", model: "claude-haiku-5-5" },
      { provider: "openai", model: "gpt-4.1" },
    );
    await cli(["run", path, "--out", join(dir, "refuse-run")], ENV);
    const report = readReport(join(dir, "refuse-run"));
    expect(report.completeness.baseline.failed_by_kind).toEqual({ refused: 1, empty: 1 });
    expect(report.completeness.candidate.failed_by_kind).toEqual({ refused: 1, empty: 1 });
  });

  it("stops at once with exit 3 and the URL when a server is not there, before any unit", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/v1`;
    const path = bench(
      "closed",
      { provider: "openai", model: "gpt-5.4-mini", base_url: url },
      { provider: "openai", model: "gpt-5.4-mini", base_url: url },
      { provider: "openai", model: "gpt-5.4", base_url: url },
    );
    const started = performance.now();
    const run = await cli(["run", path, "--out", join(dir, "closed-run")], ENV);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(url);
    expect(run.stderr).toMatch(/connection failed \(ECONNREFUSED\); check base_url and that the server is running/);
    expect(run.stderr).toMatch(/used by baseline, candidate/);
  });

  it("stops before any unit when a model is retired, naming the config, the model and the URL", async () => {
    answer = () => undefined;
    const start = server.requests.length;
    const path = bench(
      "retired",
      { provider: "anthropic", model: "claude-haiku-5-5" },
      { provider: "anthropic", model: "claude-haiku-5-5" },
      { provider: "anthropic", model: "claude-opus-4-1" },
    );
    const run = await cli(["run", path, "--out", join(dir, "retired-run")], ENV);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /cannot call anthropic claude-opus-4-1 at http:\/\/127\.0\.0\.1:\d+ \(used by judge\): .*HTTP 404.*retired/,
    );
    expect(server.requests.length).toBe(start); // no extraction was paid for
  });

  it("stops a judge that keeps answering outside its contract after a handful of calls", async () => {
    answer = (request) => (request.system.startsWith("You extract") ? undefined : JSON.stringify({ foo: 1 }));
    const start = server.requests.length;
    const path = bench(
      "badjudge",
      { provider: "openai", model: "gpt-5.4-mini" },
      { provider: "openai", model: "gpt-5.4-nano" },
      { provider: "openai", model: "gpt-4.1" },
      ["concurrency: 1"],
    );
    const run = await cli(["run", path, "--out", join(dir, "badjudge-run")], ENV);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/the judge \(openai gpt-4\.1 at .*\) answered outside its contract 5 times in a row/);
    const judged = server.requests.slice(start).filter((r) => !r.system.startsWith("You extract"));
    expect(judged.length).toBeLessThanOrEqual(12); // five units, each with its retry
  });
});

describe("an OpenAI-compatible server that lacks parameters", () => {
  let compat: ModelServer;
  beforeAll(async () => {
    compat = await startModelServer((request) => fakeModel(request), {
      compat: { rejectResponseFormat: true, rejectMaxCompletionTokens: true },
    });
  });
  afterAll(() => compat.close());

  it("falls back once from response_format and max_completion_tokens, with a warning, and finishes", async () => {
    const path = bench(
      "compat",
      { provider: "openai", model: "llama3.3", base_url: compat.openaiUrl },
      { provider: "openai", model: "qwen3", base_url: compat.openaiUrl },
      { provider: "openai", model: "llama3.3", base_url: compat.openaiUrl },
    );
    const run = await cli(["run", path, "--out", join(dir, "compat-run")], ENV);
    expect(run.stderr).toMatch(/warning: openai llama3\.3: the server refused a parameter .*structured_output: off/);
    expect(run.stderr).toMatch(
      /warning: openai llama3\.3: the server refused a parameter .*max_tokens_field: max_tokens/,
    );
    const report = readReport(join(dir, "compat-run"));
    expect(failedUnits(report)).toBe(0);
    const answered = compat.requests.filter((r) => !r.rejected);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((r) => r.body.max_tokens !== undefined && r.body.response_format === undefined)).toBe(true);
  });
});
