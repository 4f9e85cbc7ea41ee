import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { formatUsd } from "../../src/text/format-number.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { cli, REPO, tempDir } from "./helpers.js";

const ENV = { OPENAI_API_KEY: "fake.openai.key.for.the.estimate" };
let server: ModelServer;
let dir: string;

const readReport = (out: string): BenchReport =>
  BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));

beforeAll(async () => {
  server = await startModelServer(fakeModel);
  dir = tempDir("eb-reextract-");
  copyFileSync(join(REPO, "test/fixtures/good/conversations.json"), join(dir, "conversations.json")); // 2 conversations, 5 turns
  copyFileSync(join(REPO, "test/fixtures/good/golden.jsonl"), join(dir, "golden.jsonl"));
  copyFileSync(join(REPO, "configs/baseline.yaml"), join(dir, "baseline.yaml"));
  writeFileSync(
    join(dir, "candidate.yaml"),
    `name: gpt-candidate\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 2\n`,
  );
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.json",
      "golden: golden.jsonl",
      "concurrency: 2",
      "rate_limits:",
      "  openai: {concurrency: 2, requests_per_minute: 4}",
      "cache: {dir: cache}",
      "store: {turns: 1000}",
      "",
    ].join("\n"),
  );
});
afterAll(() => server.close());

describe("run with a store size: the re-extraction estimate", () => {
  let report: BenchReport;
  let stdout = "";
  const out = () => join(dir, "run-1");

  beforeAll(async () => {
    const result = await cli(["run", join(dir, "bench.yaml"), "--out", out()], ENV);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBeLessThan(2);
    stdout = result.stdout;
    report = readReport(out());
  });

  it("projects the candidate's measured tokens onto the store and prices them", () => {
    const estimate = report.reextraction!;
    expect(estimate.store).toEqual({ unit: "turns", size: 1000 });
    const account = report.model_usage!.accounts.find((a) => a.scope === "candidate")!;
    expect(account.calls).toBe(2);
    const side = estimate.candidate;
    // Both conversations extracted without error: 5 turns, the account's tokens.
    expect(side.measured).toMatchObject({ dry_runs: 2, turns: 5, calls_per_conversation: 1 });
    expect(side.measured!.per_turn).toEqual({ input: account.input_tokens / 5, output: account.output_tokens / 5 });
    // 1,000 turns at 2.5 turns per conversation: 400 conversations; 200 × the tokens of the 5 measured turns.
    expect(side.projected!.conversations).toBe(400);
    expect(side.projected!.tokens.input).toBeCloseTo(account.input_tokens * 200, 6);
    expect(side.projected!.tokens.output).toBeCloseTo(account.output_tokens * 200, 6);
    // gpt-4.1-mini lists at $0.40 in and $1.60 out per million tokens.
    const live = (account.input_tokens * 200 * 0.4 + account.output_tokens * 200 * 1.6) / 1e6;
    expect(side.cost_usd!.live).toBeCloseTo(live, 12);
    expect(side.cost_usd!.batched).toBeCloseTo(live / 2, 12);
    // 400 calls at 4 a minute = 6,000 s; 400 × latency / 2 in flight is far less on a loopback server
    // (it would take calls of 30 s each, which a machine however busy does not make of these two).
    expect(side.duration).toMatchObject({ live_ms: 6_000_000, bound: "requests_per_minute" });
    expect(side.duration!.bounds_ms.latency!).toBeLessThan(6_000_000);
    expect(side.batch_window_hours).toBe(24);
  });

  it("says the rules baseline's cost is not measurable instead of $0", () => {
    expect(report.reextraction!.baseline).toMatchObject({
      provider: "rules",
      calls_models: false,
      cost_usd: null,
      duration: null,
    });
    expect(report.reextraction!.baseline.reasons[0]).toContain("calls no model");
  });

  it("shows it in report.md, report.html and one summary line", () => {
    const cost = formatUsd(report.reextraction!.candidate.cost_usd!.live);
    const markdown = readFileSync(join(out(), "report.md"), "utf8");
    expect(markdown).toContain("### Full re-extraction estimate (1,000 turns)");
    expect(markdown).toMatch(
      new RegExp(
        `\\| \\*\\*candidate\\*\\* \\| openai gpt-4\\.1-mini \\| .* \\| \\${cost} \\| .* \\| 1 h 40 min \\(requests/min-bound\\) \\| within 24 h \\|`,
      ),
    );
    expect(markdown).toMatch(/\| baseline \(reference\) \| rules \| not measurable \| not measurable \|/);
    const page = readFileSync(join(out(), "report.html"), "utf8");
    expect(page).toContain('<section id="reextraction"><h2>Full re-extraction estimate (1,000 turns)</h2>');
    expect(page).toContain("1 h 40 min (requests/min-bound)");
    expect(page).toContain("<dt>phases</dt><dd>dry runs and judging");
    const lines = stdout.split("\n").filter((line) => line.startsWith("Re-extraction of"));
    expect(lines).toEqual([
      `Re-extraction of 1,000 turns with the candidate (openai gpt-4.1-mini): ${cost} live, ${formatUsd(report.reextraction!.candidate.cost_usd!.batched)} batched; 1 h 40 min (requests/min-bound) live, within 24 h batched`,
    ]);
  });

  it("gives no live duration when the run was answered from the cache, and says why", async () => {
    const requests = server.requests.length;
    expect((await cli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run-2")], ENV)).code).toBeLessThan(2);
    expect(server.requests.length).toBe(requests);
    const side = readReport(join(dir, "run-2")).reextraction!.candidate;
    expect(side.cost_usd).toEqual(report.reextraction!.candidate.cost_usd);
    expect(side.duration!.live_ms).toBeNull();
    expect(side.reasons[0]).toContain("answered from the cache");
  });
});
