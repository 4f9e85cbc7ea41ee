import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BenchReportSchema } from "../../src/schema/report.js";
import { cli, REPO, runArgs, tempDir } from "./helpers.js";

const demo = { dataset: join(REPO, "datasets/demo"), golden: join(REPO, "golden/demo") };

describe("a candidate that fails on every conversation", () => {
  let result: Awaited<ReturnType<typeof cli>>;
  let out: string;

  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "broken.yaml"),
      `name: broken\nextractor:\n  provider: command\n  schema_version: 5\n  command: ["/bin/sh", "-c", "printf 'no model' >&2; exit 2"]\n`,
    );
    out = join(dir, "run");
    result = await cli(runArgs({ candidate: join(dir, "broken.yaml"), ...demo, out }));
  });

  it("fails the gate with exit 1 and the verdict insufficient data", () => {
    expect(result.code).toBe(1);
    const report = BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
    expect(report.recommendation.strategy).toBe("insufficient_data");
    expect(report.recommendation.insufficient).toContain("every dry run of the candidate failed (28 of 28)");
    expect(report.gate.passed).toBe(false);
    expect(report.gate.checks.find((c) => c.id === "failed_unit_rate_candidate")).toMatchObject({
      status: "failed",
      value: 1,
    });
    // nothing was measured on a pair: those checks say so instead of passing
    for (const id of ["precision_drop", "recall_drop", "junk_increase", "extraction_count_change"]) {
      expect(report.gate.checks.find((c) => c.id === id)?.status).toBe("not_measured");
    }
    // no row fires on an empty side: no "types only in baseline", no Jaccard 0
    expect(report.recommendation.rules.map((r) => r.id)).not.toContain("type_structure");
    expect(report.recommendation.rules.map((r) => r.id)).not.toContain("predicate_renamed");
  });

  it("says it in the first lines of the summary and of report.md", () => {
    expect(result.stdout).toContain("Verdict: INSUFFICIENT DATA");
    expect(result.stdout).toContain("not measured: no conversation where both configs produced a result");
    const md = readFileSync(join(out, "report.md"), "utf8");
    const head = md.split("\n").slice(0, 12).join("\n");
    expect(head).toMatch(/^## extractor-bench: ❌ gate failed · insufficient data\n/);
    expect(head).toMatch(/\n- ❌ candidate failed dry runs: /);
    expect(head).toMatch(/\n- ⚠️ precision drop: not measured: no conversation where both configs produced a result/);
  });

  it("lets unmeasured checks through only when the bench file says on_unmeasured: pass", async () => {
    const lenient = join(tempDir(), "lenient.yaml");
    writeFileSync(lenient, "thresholds:\n  on_unmeasured: pass\n  max_failed_unit_rate: 1\n  max_json_fail_rate: 1\n");
    const gate = await cli(["gate", out, "--thresholds", lenient]);
    expect(gate.code).toBe(0);
    expect(gate.stdout).toContain("not measured let through by on_unmeasured: pass");
  });
});

describe("gate on a run that did not finish", () => {
  it("exits 3 and says how many dry runs are missing", async () => {
    const out = join(tempDir(), "run");
    await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out]);
    // Keep the log up to its 20th dry run, as a kill would: no run_end.
    const lines = readFileSync(join(out, "run.jsonl"), "utf8").split("\n");
    let dryRuns = 0;
    const cut = lines.findIndex((line) => line.includes('"kind":"dry_run"') && ++dryRuns === 20);
    writeFileSync(join(out, "run.jsonl"), `${lines.slice(0, cut + 1).join("\n")}\n`);
    const gate = await cli(["gate", out]);
    expect(gate.code).toBe(3);
    expect(gate.stderr).toContain("the run did not finish (no run_end record): 36 of 56 dry runs are missing");
    // re-rendering says the same everywhere
    const rendered = await cli(["report", out]);
    expect(rendered.stdout).toContain("warning: the run did not finish (36 dry runs missing)");
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("The run did not finish (36 dry runs missing)");
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).completeness).toMatchObject({
      complete: false,
      missing_dry_runs: 36,
    });
    expect((await cli(["gate", join(out, "report.json")])).code).toBe(3);
  });
});

describe("thresholds are fractions", () => {
  it.each([
    [
      "max_junk_increase: 5",
      "thresholds.max_junk_increase: expected a fraction in [0, 1] (write 0.05 for 5 percentage points), got 5",
    ],
    [
      "max_junk_increase_pp: 5",
      'thresholds.max_junk_increase_pp: unknown field: renamed to "max_junk_increase", a fraction like every rate threshold: write 0.05 for 5 percentage points',
    ],
    [
      "max_entity_resolution_fail_rate: 0.01",
      'thresholds.max_entity_resolution_fail_rate: unknown field: renamed to "max_entity_resolution_fail_increase"',
    ],
    [
      "max_precision_drop: 1.5",
      "thresholds.max_precision_drop: expected a fraction in [0, 1] (write 0.015 for 1.5 percentage points), got 1.5",
    ],
  ])("%s is refused with the fraction meant", async (line, message) => {
    const dir = tempDir();
    const bench = readFileSync(join(REPO, "extractor-bench.yaml"), "utf8")
      .replace(
        /^(baseline|candidate|dataset|golden): (.*)$/gm,
        (_, key: string, value: string) => `${key}: ${join(REPO, value)}`,
      )
      .replace(/^thresholds:\n/m, `thresholds:\n  ${line}\n`)
      .replace(
        /^ {2}max_junk_increase: 0\.05\n/m,
        line.startsWith("max_junk_increase:") ? "" : "  max_junk_increase: 0.05\n",
      )
      .replace(
        /^ {2}max_precision_drop: 0\.05\n/m,
        line.startsWith("max_precision_drop") ? "" : "  max_precision_drop: 0.05\n",
      )
      .replace(
        /^ {2}max_entity_resolution_fail_increase: 0\.01\n/m,
        line.startsWith("max_entity") ? "" : "  max_entity_resolution_fail_increase: 0.01\n",
      );
    writeFileSync(join(dir, "bench.yaml"), bench);
    const result = await cli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
