import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InterruptedError } from "../../src/errors.js";
import { runBench } from "../../src/run/run-bench.js";
import { readRunLog } from "../../src/run/run-log.js";
import { REPO, tempDir } from "../cli/helpers.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";

const ENV = { ANTHROPIC_API_KEY: "fake.anthropic.key.resume", OPENAI_API_KEY: "fake.openai.key.resume" };
let server: ModelServer;
let dir: string;

beforeAll(async () => {
  server = await startModelServer(fakeModel);
  dir = tempDir("eb-models-resume-");
  copyFileSync(join(REPO, "test/fixtures/good/conversations.json"), join(dir, "conversations.json"));
  copyFileSync(join(REPO, "test/fixtures/good/golden.jsonl"), join(dir, "golden.jsonl"));
  writeFileSync(
    join(dir, "baseline.yaml"),
    `name: b\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 1\n`,
  );
  writeFileSync(
    join(dir, "candidate.yaml"),
    `name: c\nextractor:\n  provider: anthropic\n  model: claude-haiku-4-5\n  base_url: ${server.anthropicUrl}\n  schema_version: 2\n`,
  );
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.json",
      "golden: golden.jsonl",
      "concurrency: 1",
      "judge:",
      "  provider: anthropic",
      "  model: claude-opus-5-5",
      `  base_url: ${server.anthropicUrl}`,
      "  repeat_share: 1",
      "  pairwise: true",
      "cache: {mode: off}",
      "",
    ].join("\n"),
  );
});
afterAll(() => server.close());

describe("an interrupted run with models, resumed", () => {
  it("redoes only what the log lacks and adds up the model usage of both parts", async () => {
    const out = join(dir, "run");
    const controller = new AbortController();
    const first = await runBench(
      { benchFile: join(dir, "bench.yaml"), out, env: ENV, signal: controller.signal },
      (progress) => {
        if (progress.phase === "dry_run" && progress.done === 1) controller.abort("SIGINT");
      },
    ).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(InterruptedError);
    const afterFirst = server.requests.length;

    const resumed = await runBench({ benchFile: join(dir, "bench.yaml"), resume: out, env: ENV });
    const { report } = resumed;
    expect(report.run.complete).toBe(true);
    expect(report.judge_noise?.units).toBe(4); // every unit judged twice: 2 conversations × 2 configs
    expect(report.pairwise?.conversations).toBe(2);
    const usage = report.model_usage!;
    expect(usage.accounts.map((a) => a.scope).sort()).toEqual(["baseline", "candidate", "judge"]);
    // Every request either part made is counted once.
    expect(usage.accounts.reduce((sum, a) => sum + a.requests, 0)).toBe(server.requests.length);
    expect(server.requests.length).toBeGreaterThan(afterFirst);
    expect(report.metrics.candidate.recall.value).toBe(1);
  });

  it("counts what the interrupted part spent against the cost limit", async () => {
    const out = join(dir, "run-limited");
    const controller = new AbortController();
    await runBench({ benchFile: join(dir, "bench.yaml"), out, env: ENV, signal: controller.signal }, (progress) => {
      if (progress.phase === "dry_run" && progress.done === 1) controller.abort("SIGINT");
    }).catch(() => undefined);
    const before = server.requests.length;
    // The first part already spent more than this: the resumed part may not make a call.
    const error = await runBench({
      benchFile: join(dir, "bench.yaml"),
      resume: out,
      env: ENV,
      maxCostUsd: 0.000001,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("the cost limit of $0.000001 was reached");
    expect(server.requests.length).toBe(before);
  });

  it("keeps a judge-noise repeat logged just before the stop, and makes only the other one", async () => {
    const out = join(dir, "run-cut");
    const whole = await runBench({ benchFile: join(dir, "bench.yaml"), out, env: ENV });
    // The log as a kill would leave it: up to the first unit's coverage repeat, before its usefulness repeat.
    const log = join(out, "run.jsonl");
    const lines = readFileSync(log, "utf8").split("\n");
    const cut = lines.findIndex((line) => line.includes('"task":"coverage"') && line.includes('"repeat":1'));
    expect(cut).toBeGreaterThan(0);
    writeFileSync(log, `${lines.slice(0, cut + 1).join("\n")}\n`);

    const resumed = await runBench({ benchFile: join(dir, "bench.yaml"), resume: out, env: ENV });
    const keys = readRunLog(log).records.flatMap((r) =>
      r.kind === "dry_run"
        ? [`dry ${r.role} ${r.conversation_id}`]
        : r.kind === "judgement"
          ? [`${r.task} ${r.role} ${r.conversation_id} ${r.repeat ?? 0}`]
          : [],
    );
    expect(keys.length).toBe(new Set(keys).size);
    expect(resumed.report.judge_noise).toEqual(whole.report.judge_noise);
    expect(resumed.report.metrics.delta).toEqual(whole.report.metrics.delta);
    expect(resumed.report.conversations).toEqual(whole.report.conversations);
  });
});
