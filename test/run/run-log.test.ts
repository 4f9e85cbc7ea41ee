import {
  appendFileSync,
  closeSync,
  cpSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { checksum } from "../../src/run/log-line.js";
import { readRecordAt, readRunLog, scanRunLog } from "../../src/run/run-log.js";
import { renderRun } from "../../src/run/run-bench.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";

/** One demo run serves the file: each test that reads or changes its folder takes a copy of it. */
let demo: string;
beforeAll(async () => {
  demo = join(tempDir(), "run");
  expect((await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", demo])).code).toBeLessThan(2);
});

function demoRun(): string {
  const out = join(tempDir(), "run");
  cpSync(demo, out, { recursive: true });
  return out;
}

describe("run log", () => {
  it("drops a torn last line and reports on the rest", async () => {
    const out = demoRun();
    const log = join(out, "run.jsonl");
    const lines = readFileSync(log, "utf8").trimEnd().split("\n");
    // A process killed mid-write: the last record cut short, no run_end.
    writeFileSync(log, `${lines.slice(0, 40).join("\n")}\n${lines[40]!.slice(0, 30)}`);
    const read = readRunLog(log);
    expect(read.droppedTornLine).toBe(true);
    expect(read.dropped).toEqual([{ line: 41, reason: "no checksum: the line was cut short or edited" }]);
    expect(read.records).toHaveLength(40);
    expect(read.validBytes).toBe(Buffer.byteLength(`${lines.slice(0, 40).join("\n")}\n`));
    const { report } = await renderRun(out);
    expect(report.run.complete).toBe(false);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("The run did not finish");
  });

  it("a unit logged twice counts once", async () => {
    const out = demoRun();
    const log = join(out, "run.jsonl");
    const before = (await renderRun(out)).report.metrics;
    const lines = readFileSync(log, "utf8").trimEnd().split("\n");
    appendFileSync(
      log,
      `${lines
        .filter((l) => l.includes('"kind":"dry_run"'))
        .slice(0, 3)
        .join("\n")}\n`,
    );
    expect((await renderRun(out)).report.metrics).toEqual(before);
  });

  it("rejects a damaged line in the middle, naming the line; a resume drops it to redo it", async () => {
    const out = demoRun();
    const log = join(out, "run.jsonl");
    const lines = readFileSync(log, "utf8").split("\n");
    lines[4] = "{oops";
    writeFileSync(log, lines.join("\n"));
    expect(() => readRunLog(log)).toThrow(InputError);
    expect(() => readRunLog(log)).toThrow(
      `${log}:5: no checksum: the line was cut short or edited; resume the run (run --resume) to redo what it held`,
    );
    expect((await cli(["report", out])).code).toBe(2);
    expect(readRunLog(log, { dropCorrupt: true }).dropped).toEqual([
      { line: 5, reason: "no checksum: the line was cut short or edited" },
    ]);
  });

  it("verifies every record against its checksum: a changed value is caught though the JSON stays valid", async () => {
    const out = demoRun();
    const log = join(out, "run.jsonl");
    const lines = readFileSync(log, "utf8").split("\n");
    const index = lines.findIndex((l) => l.includes('"kind":"dry_run"'));
    lines[index] = lines[index]!.replace(
      /"confidence":0\.(\d)/,
      (_, d: string) => `"confidence":0.${(Number(d) + 1) % 10}`,
    );
    writeFileSync(log, lines.join("\n"));
    expect(() => readRunLog(log)).toThrow(`${log}:${index + 1}: checksum mismatch: the line was damaged`);
  });
});

describe("output that cannot be written", () => {
  it("exits 2, naming the file, when a file stands where the run folder (or a folder above it) would be", async () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "");
    const under = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", join(file, "run")]);
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/^error: .*taken\/run cannot be created: .*taken is a file\n$/);
    const itself = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", file]);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toMatch(/^error: .*taken is a file, not a folder: --out names the run folder to create\n$/);
  });
});

describe("two runs writing to the same reports folder at once", () => {
  it("do not collide: each gets its own run folder, whole", async () => {
    const dir = tempDir();
    const bench = readFileSync(join(REPO, "extractor-bench.yaml"), "utf8")
      .replace(
        /^(baseline|candidate|dataset|golden): (.*)$/gm,
        (_, key: string, value: string) => `${key}: ${join(REPO, value)}`,
      )
      .replace(/^ {2}dir: reports$/m, `  dir: ${join(dir, "reports")}`);
    writeFileSync(join(dir, "bench.yaml"), bench);
    const [a, b] = await Promise.all([cli(["run", join(dir, "bench.yaml")]), cli(["run", join(dir, "bench.yaml")])]);
    expect([a.code, b.code]).toEqual([a.code, a.code]);
    const runs = readdirSync(join(dir, "reports")).filter((name) => name !== "latest");
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(readRunLog(join(dir, "reports", run, "run.jsonl")).records.at(-1)?.kind).toBe("run_end");
      expect(JSON.parse(readFileSync(join(dir, "reports", run, "report.json"), "utf8")).completeness.complete).toBe(
        true,
      );
    }
  });
});

describe("run log encoding", () => {
  it("writes a dry run's shared schema version and extractor once, and reads every candidate back whole", async () => {
    const out = demoRun();
    const log = join(out, "run.jsonl");
    const lines = readFileSync(log, "utf8").trimEnd().split("\n");
    const compacted = lines.filter((line) => line.includes('"candidate_defaults"'));
    expect(compacted.length).toBeGreaterThan(0);
    for (const line of compacted) expect(line.match(/"model_version_hash"/g)).toHaveLength(1);
    const dryRuns = readRunLog(log).records.filter((r) => r.kind === "dry_run");
    const many = dryRuns.find((r) => r.kind === "dry_run" && r.result.candidates.length > 2)!;
    expect(
      many.kind === "dry_run" &&
        many.result.candidates.every((c) => c.extractor.model_version_hash.length === 16 && c.schema_version > 0),
    ).toBe(true);
  });

  it("streams a log: every record handed over with the byte range it can be read back from", async () => {
    const out = demoRun();
    const log = join(out, "run.jsonl");
    const seen: Array<{ kind: string; offset: number; bytes: number }> = [];
    const scan = scanRunLog(log, (record, at) => seen.push({ kind: record.kind, ...at }));
    expect(scan.records).toBe(seen.length);
    const fd = openSync(log, "r");
    try {
      for (const at of seen.slice(0, 20)) expect(readRecordAt(fd, at, log).kind).toBe(at.kind);
    } finally {
      closeSync(fd);
    }
    expect(scan.validBytes).toBe(statSync(log).size);
  });

  it("takes a record as its checksum vouches for it only in a log of this bench's version, and reads it the same as when validated", async () => {
    const out = demoRun();
    const log = join(out, "run.jsonl");
    expect(readRunLog(log, { trustOwnRecords: true }).records).toEqual(readRunLog(log).records);
    /** A line changed and given a checksum that matches again: what only a deliberate edit does. */
    const resealed = (line: string, change: (value: Record<string, unknown>) => void) => {
      const value = JSON.parse(line.replace(/,"crc32":"[0-9a-f]{8}"\}$/, "}")) as Record<string, unknown>;
      change(value);
      const json = JSON.stringify(value);
      return `${json.slice(0, -1)},"crc32":"${checksum(json)}"}`;
    };
    const lines = readFileSync(log, "utf8").trimEnd().split("\n");
    const index = lines.findIndex((l) => l.includes('"kind":"dry_run"'));
    lines[index] = resealed(lines[index]!, (record) => (record.position = "first"));
    writeFileSync(log, `${lines.join("\n")}\n`);
    expect(() => readRunLog(log)).toThrow(InputError);
    expect(readRunLog(log, { trustOwnRecords: true }).records).toHaveLength(lines.length);
    lines[0] = resealed(lines[0]!, (start) => (start.tool_version = "0.0.1"));
    writeFileSync(log, `${lines.join("\n")}\n`);
    expect(() => readRunLog(log, { trustOwnRecords: true })).toThrow(`${log}:${index + 1}`);
  });
});
