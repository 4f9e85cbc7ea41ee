import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeRecord, readRunLog } from "../../src/run/run-log.js";
import type { RunLogRecord, RunStart } from "../../src/schema/run-log.js";
import { cli, runArgs, tempDir } from "../cli/helpers.js";
import { generateShardDataset, shuffleLines } from "./shard-fixtures.js";

let dir: string;
const shard = (index: number) => join(dir, `shard-${index}`);

/** A copy of a run folder's log with its run_start changed (and, with `dropEnd`, no run_end). */
function altered(from: string, name: string, change: (start: RunStart) => void, dropEnd = false): string {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  const records = readRunLog(join(from, "run.jsonl")).records.filter((r) => !(dropEnd && r.kind === "run_end"));
  change(records[0] as RunStart);
  writeFileSync(join(out, "run.jsonl"), records.map((r: RunLogRecord) => encodeRecord(r)).join(""));
  return out;
}

beforeAll(async () => {
  dir = tempDir("eb-merge-refusals-");
  const inputs = await generateShardDataset(dir, 12);
  for (const index of [1, 2, 3]) {
    const result = await cli([...runArgs({ ...inputs, out: shard(index) }), "--shard", `${index}/3`]);
    expect(result.code, result.stderr).toBe(0);
  }
  expect((await cli(runArgs({ ...inputs, out: join(dir, "whole") }))).code).toBeLessThan(2);
  const shuffled = shuffleLines(inputs.dataset, join(dir, "shuffled.jsonl"));
  expect(
    (await cli([...runArgs({ ...inputs, dataset: shuffled, out: join(dir, "shuffled-2") }), "--shard", "2/3"])).code,
  ).toBe(0);
  mkdirSync(join(dir, "not-a-run"));
});

describe("merge refuses runs that do not make one run, with exit 2, naming the folders and what differs", () => {
  it.each<[string, () => string[], string[]]>([
    [
      "an unfinished shard",
      () => [shard(1), altered(shard(2), "unfinished-2", () => undefined, true), shard(3)],
      [
        "shard 2/3 in",
        "unfinished-2 did not finish (its log has no run_end): resume it with `extractor-bench run --shard 2/3 --resume",
        "unfinished-2`",
      ],
    ],
    [
      "a shard given twice",
      () => [shard(1), shard(1), shard(2), shard(3)],
      ["shard 1/3 is given more than once:", "shard-1, "],
    ],
    ["a missing shard", () => [shard(1), shard(3)], ["shard 2/3 missing: give the run folders of all 3 shards"]],
    [
      "sharded and unsharded runs",
      () => [shard(1), shard(2), shard(3), join(dir, "whole")],
      ["cannot mix sharded and unsharded runs:", "whole is not a shard"],
    ],
    [
      "unsharded runs only",
      () => [join(dir, "whole")],
      ["is a shard (a run with --shard i/n): there is nothing to merge"],
    ],
    [
      "shards of different inputs",
      () => [shard(1), join(dir, "shuffled-2"), shard(3)],
      ["shuffled-2 and", "shard-1 differ in their inputs (dataset)"],
    ],
    [
      "shards of different configs",
      () => [shard(1), altered(shard(2), "config-2", (s) => (s.configs.candidate.config.name = "other")), shard(3)],
      ["config-2 and", "differ in their extractor configs (candidate)"],
    ],
    [
      "shards of different seeds",
      () => [shard(1), shard(2), altered(shard(3), "seed-3", (s) => (s.bench.seed = 7))],
      ["seed-3 and", "differ in their bench settings (seed)"],
    ],
    [
      "shards of different judges",
      () => [shard(1), altered(shard(2), "judge-2", (s) => (s.judge = { ...s.judge, id: "other-judge" })), shard(3)],
      ["judge-2 and", "differ in their judge (heuristic", "other-judge)"],
    ],
    [
      "shards of different tool versions",
      () => [altered(shard(1), "tool-1", (s) => (s.tool_version = "9.9.9")), shard(2), shard(3)],
      ["differ in their tool (version 9.9.9 vs"],
    ],
    [
      "shards of different splits",
      () => [shard(1), altered(shard(2), "count-2", (s) => (s.shard = { index: 2, count: 4 })), shard(3)],
      ["the runs split the dataset into different numbers of shards:", "count-2 into 4"],
    ],
    [
      "shards split by different rules",
      () => [
        shard(1),
        altered(shard(2), "rule-2", (s) => (s.shard = { index: 2, count: 3, by: "conversation" })),
        altered(shard(3), "rule-3", (s) => delete s.shard!.by),
      ],
      ["the runs split the dataset by different rules:", "shard-1 by scope", "rule-2", "rule-3 by conversation"],
    ],
    [
      "a folder without a run log",
      () => [shard(1), join(dir, "not-a-run")],
      ["not-a-run holds no run.jsonl: expected the run folder of a shard"],
    ],
  ])("%s", async (_label, runs, words) => {
    const out = join(dir, `out-${_label.replace(/\W+/g, "-")}`);
    const result = await cli(["merge", ...runs(), "--out", out]);
    expect(result.code).toBe(2);
    for (const word of words) expect(result.stderr).toContain(word);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an --out folder that is not empty or holds a run, and writes nothing there", async () => {
    const busy = join(dir, "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "notes.txt"), "keep me");
    const notEmpty = await cli(["merge", shard(1), shard(2), shard(3), "--out", busy]);
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toContain("is not empty; choose an empty or new folder for --out");
    expect(existsSync(join(busy, "run.jsonl"))).toBe(false);
    const holdsRun = await cli(["merge", shard(1), shard(2), shard(3), "--out", shard(1)]);
    expect(holdsRun.code).toBe(2);
    expect(holdsRun.stderr).toContain("already holds a run");
  });

  it("needs --out", async () => {
    const result = await cli(["merge", shard(1), shard(2), shard(3)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--out");
  });
});
