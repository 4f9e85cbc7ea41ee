import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { readRunLog } from "../../src/run/run-log.js";
import { cli, REPO, runArgs, tempDir } from "./helpers.js";

const readReport = (dir: string): BenchReport =>
  BenchReportSchema.parse(JSON.parse(readFileSync(join(dir, "report.json"), "utf8")));

describe("extractor-bench run on the demo", () => {
  const out = join(tempDir(), "run");
  const summary = join(tempDir(), "summary.md");
  let result: Awaited<ReturnType<typeof cli>>;
  let report: BenchReport;

  beforeAll(async () => {
    result = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out], { GITHUB_STEP_SUMMARY: summary });
    report = readReport(out);
  });

  it("recommends a progressive rollout because the predicate vocabulary broke", () => {
    expect(report.recommendation.strategy).toBe("progressive_rollout");
    expect(report.recommendation.risk).toBe("high");
    expect(report.vocabulary.band).toBe("significant");
    expect(report.vocabulary.jaccard).toBeLessThan(0.5);
    expect(report.recommendation.rules.map((r) => r.id)).toEqual(["type_rules_changed", "predicate_renamed"]);
    expect(report.vocabulary.renames).toContainEqual(expect.objectContaining({ from: "works_at", to: "worksAt" }));
    expect(report.recommendation.snippets.normalization).toContain("works_at");
    expect(report.recommendation.snippets.rollout).toContain("rollout_percent: 10");
  });

  it("detects the confidence shift and suggests a scaling factor", () => {
    expect(report.flags.map((f) => f.id)).toContain("confidence_shift");
    expect(report.metrics.delta.confidence_high_share).toBeGreaterThan(0.5);
    expect(report.recommendation.snippets.scaling).toMatch(/factor: 0\.\d+/);
  });

  it("prints the verdict, the evidence, the gate and the paths, and exits by the gate", () => {
    expect(result.stdout).toContain("Verdict: PROGRESSIVE ROLLOUT (high risk)");
    expect(result.stdout).toContain("predicate Jaccard");
    expect(result.stdout).toMatch(/Gate: (PASSED|FAILED)/);
    expect(result.stdout).toContain("report.json");
    expect(result.code).toBe(report.gate.passed ? 0 : 1);
  });

  it("names the heuristic judge as a heuristic, never as an LLM", () => {
    expect(report.judge.kind).toBe("heuristic");
    expect(report.judge.description).toMatch(/^Heuristic judge \(not an LLM\)/);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("Heuristic judge (not an LLM)");
  });

  it("writes a valid run log with one dry run per conversation and config", () => {
    const { records, dropped } = readRunLog(join(out, "run.jsonl"));
    expect(dropped).toEqual([]);
    expect(
      readFileSync(join(out, "run.jsonl"), "utf8")
        .trim()
        .split("\n")
        .every((line) => /,"crc32":"[0-9a-f]{8}"\}$/.test(line)),
    ).toBe(true);
    expect(records[0]?.kind).toBe("run_start");
    expect(records.at(-1)).toMatchObject({ kind: "run_end", status: "success" });
    expect(records.filter((r) => r.kind === "dry_run")).toHaveLength(28 * 2);
    // the heuristic judge is free: every candidate of both configs is judged for junk, on the same conversations
    const junk = records.filter((r) => r.kind === "judgement" && r.task === "junk");
    expect(junk.flatMap((r) => r.items)).toHaveLength(
      report.metrics.baseline.candidates + report.metrics.candidate.candidates,
    );
    expect(new Set(junk.filter((r) => r.role === "baseline").map((r) => r.conversation_id))).toEqual(
      new Set(junk.filter((r) => r.role === "candidate").map((r) => r.conversation_id)),
    );
  });

  it("report RUN_DIR re-renders the same report from the run log alone", async () => {
    const before = readFileSync(join(out, "report.json"), "utf8");
    const md = readFileSync(join(out, "report.md"), "utf8");
    const again = await cli(["report", out]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, "report.json"), "utf8")).toBe(before);
    expect(readFileSync(join(out, "report.md"), "utf8")).toBe(md);
  });

  it("gate RUN_DIR re-evaluates with other thresholds", async () => {
    const strict = join(tempDir(), "strict.yaml");
    writeFileSync(strict, "thresholds:\n  max_extraction_count_change: 0.01\n");
    const failed = await cli(["gate", out, "--thresholds", strict]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("FAIL extraction_count_change: extractions per turn +5.4%");
    const lenient = join(tempDir(), "lenient.yaml");
    writeFileSync(
      lenient,
      "max_precision_drop: 1\nmax_junk_increase: 1\nmax_extraction_count_change: 10\nmax_entity_resolution_fail_increase: 1\n",
    );
    expect((await cli(["gate", join(out, "report.json"), "--thresholds", lenient])).code).toBe(0);
  });

  it("seals report.json: gate takes an untouched file as written, and validates an edited one in full", async () => {
    const text = readFileSync(join(out, "report.json"), "utf8");
    expect(text).toMatch(/,\n {2}"checksum": "sha256:[0-9a-f]{64}"\n\}\n$/);
    expect(readReport(out)).not.toHaveProperty("checksum");
    const edited = join(tempDir(), "report.json");
    // Same JSON, other bytes: the seal no longer holds, the file is validated and still passes.
    writeFileSync(edited, text.replace('"format_version": 3', '"format_version":  3'));
    expect((await cli(["gate", edited])).code).toBe(0);
    // A value the gate reads, made invalid without touching the seal line: refused as bad input, never gated.
    writeFileSync(edited, text.replace(/"complete": true/, '"complete": "yes"'));
    const refused = await cli(["gate", edited]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/report\.json:\d+.*complete/);
  });

  it("two runs on the same inputs and seed give identical metrics", async () => {
    const second = join(tempDir(), "run2");
    await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", second]);
    const strip = (r: BenchReport) => ({
      ...r,
      run: {
        ...r.run,
        run_id: "",
        started_at: "",
        finished_at: "",
        duration_ms: 0,
        phases: r.run.phases.map((p) => ({ ...p, wall_ms: 0 })),
      },
      metrics: Object.fromEntries(
        Object.entries(r.metrics).map(([k, v]) => [
          k,
          "operating" in v ? { ...v, operating: { ...v.operating, latency_p50_ms: 0, latency_p95_ms: 0 } } : v,
        ]),
      ),
    });
    expect(strip(readReport(second))).toEqual(strip(report));
  });

  it("appends the Markdown summary to GITHUB_STEP_SUMMARY", () => {
    expect(readFileSync(summary, "utf8")).toBe(`${readFileSync(join(out, "report.md"), "utf8")}\n`);
    expect(readFileSync(summary, "utf8").length).toBeLessThan(65_000);
  });
});

describe("bad input", () => {
  it("a corrupted golden file exits 2 with the line number and writes nothing", async () => {
    const dir = tempDir();
    const golden = readFileSync(join(REPO, "golden/demo/golden.jsonl"), "utf8").split("\n");
    golden[6] = golden[6]!.slice(0, 40);
    writeFileSync(join(dir, "golden.jsonl"), golden.join("\n"));
    const output = join(dir, "reports");
    const result = await cli(
      runArgs({ dataset: join(REPO, "datasets/demo"), golden: join(dir, "golden.jsonl"), out: join(output, "run") }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(dir, "golden.jsonl")}:7: invalid JSON`);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir)).toEqual(["golden.jsonl"]);
  });

  it("run without a bench file or flags is a usage error", async () => {
    const result = await cli(["run", "--baseline", "x.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--candidate, --dataset, --golden");
  });

  it("an unknown command or option exits 2", async () => {
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["run", "--nope"])).code).toBe(2);
  });

  it("refuses to overwrite an existing run", async () => {
    const out = join(tempDir(), "run");
    const args = ["run", join(REPO, "extractor-bench.yaml"), "--out", out];
    await cli(args);
    const again = await cli(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already holds a run");
  });
});

describe("dry", () => {
  it("prints one conversation's candidates", async () => {
    const result = await cli([
      "dry",
      "--config",
      join(REPO, "configs/candidate.yaml"),
      "--dataset",
      join(REPO, "datasets/demo"),
      "--conversation",
      "conv-alice-01",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^conv-alice-01: \d+ candidates from \d+ turns/);
    expect(result.stdout).toContain("worksAt");
  });

  it("exits 3 when the extractor failed, with the failure and the end of its stderr", async () => {
    const config = join(tempDir(), "broken.yaml");
    writeFileSync(
      config,
      `name: broken\nextractor:\n  provider: command\n  schema_version: 1\n  command: [${JSON.stringify(process.execPath)}, "-e", "console.error('model not found: gpt-9'); process.exit(4)"]\n`,
    );
    const result = await cli([
      "dry",
      "--config",
      config,
      "--dataset",
      join(REPO, "datasets/demo"),
      "--conversation",
      "conv-alice-01",
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("error: the extractor failed on conv-alice-01: command_failed");
    expect(result.stderr).toContain("model not found: gpt-9");
  });

  it("an unknown conversation is bad input", async () => {
    const result = await cli([
      "dry",
      "--config",
      join(REPO, "configs/baseline.yaml"),
      "--dataset",
      join(REPO, "datasets/demo"),
      "--conversation",
      "nope",
      "--json",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no conversation "nope"');
  });
});

describe("the built binary", () => {
  it("runs with --help and exits 0", () => {
    const bin = join(REPO, "dist/cli/bin.js");
    const result = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: extractor-bench");
  });
});
