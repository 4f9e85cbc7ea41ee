import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { loadPlan } from "../../src/run/plan.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";

/** A bench whose baseline calls OpenAI and whose candidate and judge call Anthropic (never reached: no key, no call). */
function benchNeedingKeys(): string {
  const dir = tempDir("eb-keys-");
  writeFileSync(
    join(dir, "baseline.yaml"),
    "name: base\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: http://127.0.0.1:9/v1\n  schema_version: 1\n",
  );
  writeFileSync(
    join(dir, "candidate.yaml"),
    "name: cand\nextractor:\n  provider: anthropic\n  model: claude-haiku-4-5\n  base_url: http://127.0.0.1:9\n  schema_version: 2\n",
  );
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      `dataset: ${join(REPO, "test/fixtures/good/conversations.json")}`,
      `golden: ${join(REPO, "test/fixtures/good/golden.jsonl")}`,
      "judge:",
      "  provider: anthropic",
      "  model: claude-haiku-4-5",
      "  base_url: http://127.0.0.1:9",
      "",
    ].join("\n"),
  );
  return dir;
}

describe("a missing API key", () => {
  it("names each variable with the configs and the judge that need it, and their files", async () => {
    const dir = benchNeedingKeys();
    const plan = loadPlan({ benchFile: "bench.yaml", cwd: dir, env: {} });
    await expect(plan).rejects.toBeInstanceOf(UsageError);
    await expect(plan).rejects.toThrow(
      "missing API key: set OPENAI_API_KEY in the environment, for the baseline config (baseline.yaml); " +
        "set ANTHROPIC_API_KEY in the environment, for the candidate config (candidate.yaml) and the judge (bench.yaml)",
    );
    await expect(loadPlan({ benchFile: "bench.yaml", cwd: dir, env: { OPENAI_API_KEY: "x" } })).rejects.toThrow(
      /^missing API key: set ANTHROPIC_API_KEY in the environment, for the candidate config \(candidate\.yaml\) and the judge \(bench\.yaml\)$/,
    );
  });

  it("names the config of dry", async () => {
    const dir = benchNeedingKeys();
    const result = await cli([
      "dry",
      "--config",
      join(dir, "candidate.yaml"),
      "--dataset",
      join(REPO, "test/fixtures/good/conversations.json"),
      "--conversation",
      "conv-1",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: missing API key: set ANTHROPIC_API_KEY in the environment, for the config (${join(dir, "candidate.yaml")})\n`,
    );
  });
});
