import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer, type Scripted } from "../support/model-server.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";

/**
 * A storm of provider faults over a whole run: every third call's first attempt fails with a
 * retryable fault (429 with retry-after, 529, 500, a dropped connection, a non-JSON body), and one
 * conversation's calls fail every time. The run completes, and the report counts exactly what was
 * injected: every retry, and one failed unit per config for the poisoned conversation.
 */

const RETRYABLE: Scripted[] = [
  { fault: "rate_limit", retryAfterSeconds: 0 },
  { fault: "overloaded" },
  { fault: "server_error" },
  { fault: "drop" },
  { fault: "non_json" },
];
const POISON = "ECONNREFUSED";
const MAX_RETRIES = 3;

let server: ModelServer;
let report: BenchReport;
let code: number;
const injected = { retryable: 0, poisoned: 0 };

beforeAll(async () => {
  const attempts = new Map<string, number>();
  let calls = 0;
  server = await startModelServer((request) => {
    const key = JSON.stringify(request.body);
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (request.user.includes(POISON)) {
      injected.poisoned++;
      return { fault: "server_error" };
    }
    if (attempt === 1 && calls++ % 3 === 0) {
      injected.retryable++;
      return RETRYABLE[injected.retryable % RETRYABLE.length]!;
    }
    return fakeModel(request);
  });
  const dir = tempDir("eb-storm-");
  writeFileSync(
    join(dir, "baseline.yaml"),
    `name: gpt\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 1\n`,
  );
  writeFileSync(
    join(dir, "candidate.yaml"),
    `name: claude\nextractor:\n  provider: anthropic\n  model: claude-haiku-4-5\n  base_url: ${server.anthropicUrl}\n  schema_version: 2\n`,
  );
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      `dataset: ${join(REPO, "datasets/demo")}`,
      `golden: ${join(REPO, "golden/demo")}`,
      "cache: {mode: off}",
      `retries: {max_retries: ${MAX_RETRIES}, base_delay_ms: 1, max_delay_ms: 5}`,
      "",
    ].join("\n"),
  );
  const result = await cli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run")], {
    ANTHROPIC_API_KEY: "fake.anthropic.storm.key.0001",
    OPENAI_API_KEY: "fake.openai.storm.key.0001",
  });
  code = result.code;
  report = BenchReportSchema.parse(JSON.parse(readFileSync(join(dir, "run", "report.json"), "utf8")));
}, 120_000);
afterAll(() => server.close());

describe("a run through a storm of provider faults", () => {
  it("completes, with every retryable fault retried and the poisoned conversation failed once per config", () => {
    expect(code).toBe(1);
    expect(report.completeness.complete).toBe(true);
    expect(injected.retryable).toBeGreaterThan(10);
    // The poisoned conversation: one call per config, each tried 1 + MAX_RETRIES times.
    expect(injected.poisoned).toBe(2 * (1 + MAX_RETRIES));
    for (const role of ["baseline", "candidate"] as const) {
      expect(report.completeness[role].failed).toBe(1);
      expect(report.completeness[role].attempted).toBe(28);
      expect(report.completeness[role].failed_by_kind).toEqual({ provider_error: 1 });
    }
  });

  it("counts in the report exactly the faults injected", () => {
    const accounts = report.model_usage!.accounts.filter((a) => a.scope !== "judge");
    const retries = accounts.reduce((sum, a) => sum + a.retries, 0);
    const failures = accounts.reduce((sum, a) => sum + a.failures, 0);
    expect(retries).toBe(injected.retryable + 2 * MAX_RETRIES);
    expect(failures).toBe(2);
    expect(accounts.reduce((sum, a) => sum + a.requests, 0)).toBe(server.requests.length);
  });
});
