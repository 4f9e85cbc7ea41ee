import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { colourEnabled } from "../../src/cli/colour.js";
import { cli, REPO, tempDir } from "./helpers.js";

const BIN = join(REPO, "dist/cli/bin.js");
const FORBID_VEGA = join(REPO, "test/fixtures/loader/register-forbid-vega.mjs");

/** One run of the demo bench, in-process, serves the tests that read a demo run (or, copied, change it). */
let demo: { out: string; stdout: string };
beforeAll(async () => {
  const out = join(tempDir(), "demo");
  const result = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out]);
  expect(result.code).toBeLessThan(2);
  demo = { out, stdout: result.stdout };
});

describe("extractor-bench init", () => {
  it("scaffolds a bench that runs in an empty folder, and points reports/latest at the run", async () => {
    const dir = join(tempDir(), "my bench");
    const init = await cli(["init", dir]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/Next:\n {2}cd '.*my bench' && extractor-bench run\n/);
    for (const file of [
      "extractor-bench.yaml",
      "configs/baseline.yaml",
      "configs/candidate.yaml",
      "datasets/conversations.jsonl",
      "golden/golden.jsonl",
    ]) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
    const schemaLine = readFileSync(join(dir, "configs/baseline.yaml"), "utf8").split("\n")[0]!;
    const schemaPath = schemaLine.replace("# yaml-language-server: $schema=", "");
    expect(existsSync(join(dir, "configs", schemaPath))).toBe(true);

    // Run from inside the folder, with the bench file found by default, as the printed command does.
    const result = spawnSync(process.execPath, [BIN, "run"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CI: "true", NO_COLOR: "1" },
    });
    expect(result.stderr).not.toMatch(/error/);
    // The first run passes: what 12 conversations cannot decide is inconclusive, with how many would decide it.
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /Gate: PASSED \(\d+ passed, \d+ inconclusive; \d+ inconclusive let through by on_inconclusive: pass\)/,
    );
    expect(result.stdout).toMatch(
      /INC {2}precision_drop: precision −[\d.]+ pp \[[^\]]+\] pp \(limit 5\.0 pp\): inconclusive, the interval straddles the limit; about \d+ paired conversations would decide it \(12 now\)/,
    );
    const latest = join(dir, "reports/latest");
    const report = JSON.parse(readFileSync(join(latest, "report.json"), "utf8")) as {
      gate: { checks: Array<{ id: string; status: string; decide_conversations?: number; conversations?: number }> };
    };
    const precision = report.gate.checks.find((c) => c.id === "precision_drop")!;
    expect(precision).toMatchObject({ status: "inconclusive", conversations: 12 });
    expect(precision.decide_conversations).toBeGreaterThan(12);
    expect(lstatSync(latest).isSymbolicLink()).toBe(true);
    for (const file of ["report.html", "report.md", "report.json", "junit.xml"])
      expect(existsSync(join(latest, file))).toBe(true);
    expect(readlinkSync(latest)).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
  });

  it("refuses to overwrite, and writes nothing", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "extractor-bench.yaml"), "mine\n");
    const result = await cli(["init", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("extractor-bench.yaml");
    expect(result.stderr).toContain("nothing was written");
    expect(existsSync(join(dir, "configs"))).toBe(false);
    expect(readFileSync(join(dir, "extractor-bench.yaml"), "utf8")).toBe("mine\n");
  });
});

describe("extractor-bench compare", () => {
  it("shows what moved between two runs, with intervals", async () => {
    const root = tempDir();
    const a = demo.out;
    const b = join(root, "b");
    expect(
      (
        await cli([
          "run",
          join(REPO, "extractor-bench.yaml"),
          "--candidate",
          join(REPO, "configs/baseline.yaml"),
          "--out",
          b,
        ])
      ).code,
    ).toBeLessThan(2);
    const text = await cli(["compare", a, join(b, "report.json")]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /precision +A −3\.0 pp \[−5\.8, −0\.6\] pp {2}B 0\.0 pp \[0\.0, 0\.0\] pp {2}moved \+3\.0 pp/,
    );
    expect(text.stdout).toMatch(/predicate Jaccard +A 0\.200 {2}B 1\.000 {2}moved \+0\.800/);
    const json = JSON.parse((await cli(["compare", a, b, "--json"])).stdout) as {
      metrics: { metric: string; moved: number }[];
    };
    expect(json.metrics.find((m) => m.metric === "precision")?.moved).toBeCloseTo(0.0305, 3);
  });

  it("names a missing or invalid input and exits 2", async () => {
    const dir = tempDir();
    expect((await cli(["compare", join(dir, "nope"), dir])).code).toBe(2);
    writeFileSync(join(dir, "bad.json"), `{"format_version": 1}`);
    const bad = await cli(["compare", join(dir, "bad.json"), join(dir, "bad.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("bad.json");
  });
});

describe("colours", () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: "1" }, true, false],
    [{ CI: "true" }, true, false],
    [{ CI: "true", FORCE_COLOR: "1" }, false, true],
    [{ NO_COLOR: "1", FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "0" }, true, false],
    [{ TERM: "dumb" }, true, false],
  ])("env %j on a TTY=%s → %s", (env, tty, expected) => {
    expect(colourEnabled(env as NodeJS.ProcessEnv, tty)).toBe(expected);
  });

  it("colours the gate line when forced and not otherwise", async () => {
    expect(demo.stdout).not.toContain("\u001b[");
    expect((await cli(["gate", demo.out], { FORCE_COLOR: "1" })).stdout).toMatch(
      /^\u001b\[3[12]mGate: (PASSED|FAILED) [^\n]*\u001b\[39m\n/,
    );
  });
});

describe("vega is loaded only to render HTML", () => {
  it("--version and gate run with vega made unimportable; report (which renders HTML) does not", async () => {
    const out = join(tempDir(), "run");
    cpSync(demo.out, out, { recursive: true });
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", FORBID_VEGA, BIN, ...args], {
        encoding: "utf8",
        env: { ...process.env, CI: "true" },
      });
    const version = run("--version");
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run("gate", out).status).toBe(0);
    const report = run("report", out);
    expect(report.status).toBe(3);
    expect(report.stderr).toContain("vega must not be imported here");
  });
});
