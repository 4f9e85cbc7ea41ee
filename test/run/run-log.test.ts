import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { readRunLog } from "../../src/run/run-log.js";
import { renderRun } from "../../src/run/run-bench.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";

async function demoRun(): Promise<string> {
  const out = join(tempDir(), "run");
  await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out]);
  return out;
}

describe("run log", () => {
  it("drops a torn last line and reports on the rest", async () => {
    const out = await demoRun();
    const log = join(out, "run.jsonl");
    const lines = readFileSync(log, "utf8").trimEnd().split("\n");
    // A process killed mid-write: the last record cut short, no run_end.
    writeFileSync(log, `${lines.slice(0, 40).join("\n")}\n${lines[40]!.slice(0, 30)}`);
    const read = readRunLog(log);
    expect(read.droppedTornLine).toBe(true);
    expect(read.records).toHaveLength(40);
    const { report } = await renderRun(out);
    expect(report.run.complete).toBe(false);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("The run did not finish");
  });

  it("a unit logged twice counts once", async () => {
    const out = await demoRun();
    const log = join(out, "run.jsonl");
    const before = (await renderRun(out)).report.metrics;
    const lines = readFileSync(log, "utf8").trimEnd().split("\n");
    appendFileSync(log, `${lines.filter((l) => l.includes('"kind":"dry_run"')).slice(0, 3).join("\n")}\n`);
    expect((await renderRun(out)).report.metrics).toEqual(before);
  });

  it("rejects a corrupt line in the middle, naming the line", async () => {
    const out = await demoRun();
    const log = join(out, "run.jsonl");
    const lines = readFileSync(log, "utf8").split("\n");
    lines[4] = "{oops";
    writeFileSync(log, lines.join("\n"));
    expect(() => readRunLog(log)).toThrow(InputError);
    expect(() => readRunLog(log)).toThrow(`${log}:5: invalid JSON in the run log`);
    expect((await cli(["report", out])).code).toBe(2);
  });
});

describe("output that cannot be written", () => {
  it("exits 3 when the output path is a file", async () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "");
    const result = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", join(file, "run")]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: the run could not finish: cannot create the run folder .*taken\/run/);
  });
});
