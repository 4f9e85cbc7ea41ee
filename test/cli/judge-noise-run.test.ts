import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIN_JUNK_CONVERSATIONS } from "../../src/metrics/junk-sample.js";
import { CONFIG_ROLES } from "../../src/schema/run-log.js";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { flippingJudge } from "../support/flipping-judge.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { generateWorld } from "../scenarios/synthetic-world.js";
import { cli, REPO, tempDir } from "./helpers.js";

/**
 * A whole run against a loopback LLM judge that flips a known share of its verdicts: the report must
 * give that rate back, correct for it, grow the junk sample while the junk check is undecided, and
 * not fail an unchanged extractor for the judge's noise.
 */

const FLIP_RATE = 0.15;
const ENV = { OPENAI_API_KEY: "fake.openai.key.for.a.noisy.judge" };
let server: ModelServer;
let dir: string;
let report: BenchReport;
let markdown: string;
let code: number;

beforeAll(async () => {
  server = await startModelServer(flippingJudge(FLIP_RATE, 7));
  dir = tempDir("eb-noisy-judge-");
  const world = generateWorld(3, { conversations: 200, recall: 0.8, junkRate: 0.05 });
  writeFileSync(join(dir, "conversations.jsonl"), `${world.conversations.map((c) => JSON.stringify(c)).join("\n")}\n`);
  writeFileSync(join(dir, "golden.jsonl"), `${world.golden.map((g) => JSON.stringify(g)).join("\n")}\n`);
  // The same extractor on both sides but for the predicates' spelling, which no verdict of this judge
  // reads: the true changes are 0, and the two sides' prompts differ, so each side is judged on its own.
  const config = readFileSync(join(REPO, "configs/baseline.yaml"), "utf8");
  writeFileSync(join(dir, "baseline.yaml"), config);
  writeFileSync(
    join(dir, "candidate.yaml"),
    config
      .replace(/^name: .*$/m, "name: camel-case")
      .replace("predicate_style: snake_case", "predicate_style: camelCase"),
  );
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.jsonl",
      "golden: golden.jsonl",
      "judge:",
      "  provider: openai",
      "  model: noisy-judge",
      `  base_url: ${server.openaiUrl}`,
      "  repeat_share: 0.5",
      "junk_sample_size: 40",
      "junk_sample_max: 600",
      'cache: {mode: "off"}',
      "retries: {max_retries: 2, base_delay_ms: 1, max_delay_ms: 10}",
      "",
    ].join("\n"),
  );
  const run = await cli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run")], ENV);
  code = run.code;
  if (code > 1) throw new Error(run.stderr);
  report = BenchReportSchema.parse(JSON.parse(readFileSync(join(dir, "run", "report.json"), "utf8")));
  markdown = readFileSync(join(dir, "run", "report.md"), "utf8");
}, 120_000);
afterAll(() => server.close());

describe("a run judged by a loopback judge that flips 15% of its verdicts", () => {
  it("draws the growth no verdict can change in the first round: it spans MIN_JUNK_CONVERSATIONS conversations at once", () => {
    // junk_sample_size 40 draws about 10 conversations here; growing them to 30 waits on no verdict.
    const phase = report.run.phases.find((p) => p.name === "junk")!;
    const firstRound = phase.rounds?.[0] ?? phase.units;
    expect(firstRound / CONFIG_ROLES.length).toBeGreaterThanOrEqual(MIN_JUNK_CONVERSATIONS);
  });

  it("gives the flip rate back, within a few points, from the repeat disagreement (about twice it)", () => {
    const noise = report.judge_noise!;
    expect(noise.usefulness.compared).toBeGreaterThan(200);
    expect(noise.usefulness.rate!).toBeGreaterThan(0.18);
    expect(Math.abs(noise.usefulness.flip_rate! - FLIP_RATE)).toBeLessThan(0.05);
  });

  it("corrects the precision the noise biases toward one half, and shows both", () => {
    // The truth of this judge: every memory useful.
    expect(report.metrics.baseline.precision.value!).toBeLessThan(0.92);
    expect(report.metrics.baseline.precision.corrected!.value!).toBeGreaterThan(0.95);
    expect(markdown).toMatch(/\| precision \| [\d.]+% \\\[[^|]+\\\] \(corrected [\d.]+%\)/);
  });

  it("stops the junk sample only when the junk check is decided, at its maximum, or with every paired conversation drawn", () => {
    const junk = report.metrics.baseline.junk;
    const check = report.gate.checks.find((c) => c.id === "junk_increase")!;
    const stoppedEarly = junk.judged < 600 && junk.conversations < report.completeness.paired_conversations;
    if (stoppedEarly) expect(check.status).not.toBe("inconclusive");
    expect(junk.judged).toBeGreaterThanOrEqual(40);
    expect(junk.judged).toBeLessThanOrEqual(620);
  });

  it("does not fail the unchanged extractor, and says what the noise leaves undecided", () => {
    expect(code).toBe(0);
    expect(report.gate.checks.filter((c) => c.status === "failed")).toEqual([]);
    expect(markdown).toContain("flip rate");
    expect(markdown).not.toContain("can be judge noise alone");
  });
});
