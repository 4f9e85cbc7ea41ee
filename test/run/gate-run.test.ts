import { appendFileSync, copyFileSync, cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gateRun } from "../../src/run/gate-run.js";
import { encodeRecord } from "../../src/run/run-log.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";

let finished: string;
let other: string;

/** A copy of the finished run folder to alter. */
function copyOfRun(): string {
  const dir = join(tempDir("eb-gate-"), "run");
  cpSync(finished, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  finished = join(tempDir("eb-gate-"), "run");
  other = join(tempDir("eb-gate-"), "run");
  for (const out of [finished, other])
    expect((await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out])).code).toBeLessThan(2);
});

describe("gate RUN_DIR", () => {
  it("reads the sealed report.json of a finished run folder, not its run log", async () => {
    const outcome = await gateRun(finished);
    expect(outcome.source).toBe(join(finished, "report.json"));
    expect(outcome.rebuilt).toBeUndefined();
  });

  it.each<[string, (dir: string) => void, string]>([
    ["report.json is missing", (dir) => rmSync(join(dir, "report.json")), "the folder has no report.json"],
    [
      "report.json was edited",
      (dir) =>
        writeFileSync(
          join(dir, "report.json"),
          readFileSync(join(dir, "report.json"), "utf8").replace('"format_version": 3', '"format_version":  3'),
        ),
      "report.json has no seal or was changed after the bench wrote it",
    ],
    [
      "report.json is another run's",
      (dir) => copyFileSync(join(other, "report.json"), join(dir, "report.json")),
      "report.json is of run ",
    ],
    [
      "the run log went on after report.json was written (a retried run appends a new run_end)",
      (dir) =>
        appendFileSync(
          join(dir, "run.jsonl"),
          encodeRecord({ kind: "run_end", finished_at: "2099-01-01T00:00:00.000Z", duration_ms: 1 }),
        ),
      "run.jsonl changed after report.json was written",
    ],
  ])("rebuilds the report from the run log when %s, and says why", async (_label, alter, why) => {
    const dir = copyOfRun();
    alter(dir);
    const outcome = await gateRun(dir);
    expect(outcome.source).toBe(join(dir, "run.jsonl"));
    expect(outcome.rebuilt).toContain(why);
    // The same gate either way.
    expect(outcome.gate).toEqual((await gateRun(finished)).gate);
  });

  it("applies other thresholds to the sealed report.json as to a rebuilt report", async () => {
    const thresholds = join(tempDir(), "strict.yaml");
    writeFileSync(thresholds, "thresholds:\n  max_extraction_count_change: 0.001\n");
    const rebuiltDir = copyOfRun();
    rmSync(join(rebuiltDir, "report.json"));
    const [fromReport, rebuilt] = await Promise.all([gateRun(finished, thresholds), gateRun(rebuiltDir, thresholds)]);
    expect(fromReport.rebuilt).toBeUndefined();
    expect(rebuilt.rebuilt).toBeDefined();
    expect(fromReport.gate).toEqual(rebuilt.gate);
    expect(fromReport.gate.thresholds.max_extraction_count_change).toBe(0.001);
  });

  it("says on stderr that it rebuilt the report and why, the gate on stdout as always", async () => {
    const dir = copyOfRun();
    rmSync(join(dir, "report.json"));
    const [plain, rebuilt] = [await cli(["gate", finished]), await cli(["gate", dir])];
    expect(plain.stderr).toBe("");
    expect(rebuilt.stderr).toContain("note: the report was rebuilt from the run log: the folder has no report.json");
    expect(rebuilt.stdout).toBe(plain.stdout);
    expect(rebuilt.code).toBe(plain.code);
  });
});

describe("gate on a folder that holds no run", () => {
  it("points at reports/latest in a bench's output folder, at the newest run in a folder of runs, and at running first in an empty one", async () => {
    const reports = join(tempDir("eb-gate-"), "reports");
    cpSync(finished, join(reports, "20261201-090000-aaaaaa"), { recursive: true });
    cpSync(finished, join(reports, "20261202-090000-bbbbbb"), { recursive: true });
    const runs = await cli(["gate", reports]);
    expect(runs.code).toBe(2);
    expect(runs.stderr).toContain(
      `${reports}: a folder of 2 runs, not a run: gate one of them, the newest with: extractor-bench gate ${join(reports, "20261202-090000-bbbbbb")}\n`,
    );

    symlinkSync("20261201-090000-aaaaaa", join(reports, "latest"));
    const latest = await cli(["gate", reports]);
    expect(latest.code).toBe(2);
    expect(latest.stderr).toContain(
      `${reports}: a folder of runs, not a run: gate the newest with: extractor-bench gate ${join(reports, "latest")}\n`,
    );
    expect((await cli(["gate", join(reports, "latest")])).code).toBeLessThan(2);

    const empty = tempDir("eb-gate-empty-");
    const none = await cli(["gate", empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      `${empty}: holds no run (no run.jsonl, no report.json): run the bench first (extractor-bench run), then gate its run folder, such as reports/latest\n`,
    );
    expect(none.stderr).not.toContain("no such file");

    const missing = await cli(["gate", join(empty, "nope")]);
    expect(missing.stderr).toContain(
      `${join(empty, "nope")}: no such file or folder: gate takes a run folder (such as reports/latest) or its report.json\n`,
    );
  });
});
