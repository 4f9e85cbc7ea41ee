import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InterruptedError, UsageError } from "../../src/errors.js";
import { runBench } from "../../src/run/run-bench.js";
import { encodeRecord, readRunLog } from "../../src/run/run-log.js";
import { parseShard, shardOfConversation, shardOfEntry } from "../../src/run/shard.js";
import type { RunLogRecord, RunStart } from "../../src/schema/run-log.js";
import { cli, REPO, runArgs, tempDir } from "../cli/helpers.js";
import { generateShardDataset, loggedConversations, readReport, runStartOf, shuffleLines } from "./shard-fixtures.js";

const CONVERSATIONS = 36;
let dir: string;
let inputs: { dataset: string; golden: string };
let ids: string[];
/** The scope (namespace) of each conversation. */
let scopes: Map<string, string>;
/** The shard of each conversation of 3 when split by scope, the rule of a run that simulates retrieval. */
const byScope = (id: string, count = 3) => shardOfEntry({ id, namespace: scopes.get(id)! }, count, "scope");
/** The conversation of each golden memory. */
let goldenIds: string[];

beforeAll(async () => {
  dir = tempDir("eb-shard-");
  inputs = await generateShardDataset(dir, CONVERSATIONS);
  const lines = readFileSync(inputs.dataset, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { id: string; scope: { namespace: string } });
  ids = lines.map((line) => line.id);
  scopes = new Map(lines.map((line) => [line.id, line.scope.namespace]));
  goldenIds = readFileSync(inputs.golden, "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { conversation_id: string }).conversation_id);
});

const shardArgs = (out: string, shard: string, dataset = inputs.dataset) => [
  ...runArgs({ dataset, golden: inputs.golden, out }),
  "--shard",
  shard,
];

describe("--shard i/n", () => {
  it.each([
    ["0/3", 'got "0/3"'],
    ["4/3", 'got "4/3"'],
    ["a/b", 'got "a/b"'],
    ["1/0", 'got "1/0"'],
    ["2", 'got "2"'],
  ])("refuses %s with exit 2 before any work", async (shard, words) => {
    const out = join(dir, `bad-${shard.replace("/", "-")}`);
    const result = await cli(shardArgs(out, shard));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--shard expects i/n with whole numbers 1 ≤ i ≤ n");
    expect(result.stderr).toContain(words);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a bad shard given to the library", async () => {
    const error = await runBench({
      ...inputs,
      baseline: join(REPO, "configs/baseline.yaml"),
      candidate: join(REPO, "configs/candidate.yaml"),
      out: join(dir, "lib-bad"),
      shard: { index: 3, count: 2 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain("a shard index must be a whole number from 1 to the count (2), got 3");
  });

  it("parses i/n", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
  });

  it("assigns each id by the first 8 hex digits of its SHA-256, evenly enough", () => {
    // sha256("bench-0") starts with 0f72edb1: 259,190,193 mod 3 = 0, the first shard.
    expect(shardOfConversation("bench-0", 3)).toBe(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[shardOfConversation(`conversation-${i}`, 3) - 1]!++;
    for (const count of counts) expect(count).toBeGreaterThan(900);
  });

  it("splits the dataset into shards of whole scopes that add up to it, each run with its own log naming its shard", async () => {
    const shards: string[][] = [];
    for (const index of [1, 2, 3]) {
      const out = join(dir, `split-${index}`);
      const result = await cli(shardArgs(out, `${index}/3`));
      expect(result.code, result.stderr).toBe(0);
      // Each shard simulates retrieval on the scopes it holds whole: nothing to warn about.
      expect(result.stderr).not.toContain("retrieval simulation does not run");
      expect(readReport(out).retrieval?.strategies.length).toBeGreaterThan(0);
      const start = runStartOf(out);
      expect(start.shard).toEqual({ index, count: 3, by: "scope" });
      // Each conversation's records carry its place in the whole dataset.
      const logged = loggedConversations(out);
      for (const c of logged) expect(ids[c.position]).toBe(c.id);
      expect(start.dataset.conversations).toBe(logged.length);
      const inShard = new Set(logged.map((c) => c.id));
      expect(start.golden.memories).toBe(goldenIds.filter((id) => inShard.has(id)).length);
      expect(readReport(out).completeness.conversations).toBe(logged.length);
      shards.push(logged.map((c) => c.id));
    }
    expect(shards.flat().length).toBe(CONVERSATIONS);
    expect(new Set(shards.flat())).toEqual(new Set(ids));
    for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
    // Every conversation of a scope is in one shard.
    const shardOfScope = new Map<string, number>();
    shards.forEach((shard, i) => {
      for (const id of shard) expect(shardOfScope.get(scopes.get(id)!) ?? i).toBe(i);
      for (const id of shard) shardOfScope.set(scopes.get(id)!, i);
    });
  });

  it("splits by conversation id when the retrieval simulation is off", async () => {
    const bench = join(dir, "no-retrieval.yaml");
    writeFileSync(
      bench,
      [
        `baseline: ${join(REPO, "configs/baseline.yaml")}`,
        `candidate: ${join(REPO, "configs/candidate.yaml")}`,
        `dataset: ${inputs.dataset}`,
        `golden: ${inputs.golden}`,
        "retrieval: {enabled: false}",
        "",
      ].join("\n"),
    );
    const out = join(dir, "by-conversation");
    const result = await cli(["run", bench, "--shard", "2/3", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(runStartOf(out).shard).toEqual({ index: 2, count: 3, by: "conversation" });
    expect(new Set(loggedConversations(out).map((c) => c.id))).toEqual(
      new Set(ids.filter((id) => shardOfConversation(id, 3) === 2)),
    );
  });

  it("takes the same conversations when the dataset's lines are shuffled", async () => {
    const shuffled = shuffleLines(inputs.dataset, join(dir, "shuffled.jsonl"));
    expect(readFileSync(shuffled, "utf8")).not.toBe(readFileSync(inputs.dataset, "utf8"));
    for (const index of [1, 2, 3]) {
      const result = await cli(shardArgs(join(dir, `shuffled-${index}`), `${index}/3`, shuffled));
      expect(result.code, result.stderr).toBe(0);
      const drawn = loggedConversations(join(dir, `shuffled-${index}`)).map((c) => c.id);
      expect(new Set(drawn)).toEqual(new Set(ids.filter((id) => byScope(id) === index)));
    }
  });

  it("runs a shard that gets no conversation as a valid, empty run", async () => {
    const count = 50;
    const empty = Array.from({ length: count }, (_, i) => i + 1).find((index) =>
      ids.every((id) => byScope(id, count) !== index),
    )!;
    const out = join(dir, "empty");
    const result = await cli(shardArgs(out, `${empty}/${count}`));
    expect(result.code, result.stderr).toBe(0);
    const report = readReport(out);
    expect(report.run.complete).toBe(true);
    expect(report.completeness.conversations).toBe(0);
    expect(report.recommendation.strategy).toBe("insufficient_data");
  });
});

describe("--shard with --resume", () => {
  const base = () => ({
    ...inputs,
    baseline: join(REPO, "configs/baseline.yaml"),
    candidate: join(REPO, "configs/candidate.yaml"),
  });

  async function interruptedShard(out: string): Promise<void> {
    const controller = new AbortController();
    const error = await runBench(
      { ...base(), out, shard: { index: 2, count: 3 }, signal: controller.signal },
      (progress) => {
        if (progress.phase === "dry_run" && progress.done === 2) controller.abort("SIGINT");
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(runStartOf(out).shard).toEqual({ index: 2, count: 3, by: "scope" });
  }

  it("resumes the shard its log names, with or without --shard", async () => {
    const expected = ids.filter((id) => byScope(id) === 2);
    for (const [name, shard] of [
      ["resume-plain", []],
      ["resume-flag", ["--shard", "2/3"]],
    ] as const) {
      const out = join(dir, name);
      await interruptedShard(out);
      const resumed = await cli([...runArgs({ ...inputs, out }).slice(0, -2), "--resume", out, ...shard]);
      expect(resumed.code, resumed.stderr).toBe(0);
      const report = readReport(out);
      expect(report.run.complete).toBe(true);
      expect(report.completeness.conversations).toBe(expected.length);
      expect(report.completeness.missing_dry_runs).toBe(0);
      expect(report.conversations.map((c) => c.conversation_id)).toEqual(expected);
      // The resumed shard keeps its rule and simulates the scopes it holds.
      expect(runStartOf(out).shard).toEqual({ index: 2, count: 3, by: "scope" });
      expect(report.retrieval?.strategies.length).toBeGreaterThan(0);
    }
  });

  it("resumes a shard whose log names no rule (an older version's) by conversation, without the simulation", async () => {
    const out = join(dir, "resume-old");
    const controller = new AbortController();
    await runBench(
      { ...base(), out, shard: { index: 2, count: 3, by: "conversation" }, signal: controller.signal },
      (progress) => {
        if (progress.phase === "dry_run" && progress.done === 2) controller.abort("SIGINT");
      },
    ).catch(() => undefined);
    // The log as an older version wrote it: a shard without `by`.
    const records = readRunLog(join(out, "run.jsonl")).records;
    delete (records[0] as RunStart).shard!.by;
    writeFileSync(join(out, "run.jsonl"), records.map((r: RunLogRecord) => encodeRecord(r)).join(""));
    const resumed = await cli([...runArgs({ ...inputs, out }).slice(0, -2), "--resume", out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("this shard was split by conversation");
    const report = readReport(out);
    expect(report.conversations.map((c) => c.conversation_id)).toEqual(
      ids.filter((id) => shardOfConversation(id, 3) === 2),
    );
    expect(report.retrieval).toBeUndefined();
  });

  it("refuses another shard, or a shard of a run that was not sharded", async () => {
    const out = join(dir, "resume-other");
    await interruptedShard(out);
    const resumeArgs = (runDir: string, shard: string) => [
      ...runArgs({ ...inputs, out: runDir }).slice(0, -2),
      "--resume",
      runDir,
      "--shard",
      shard,
    ];
    const other = await cli(resumeArgs(out, "1/3"));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("as shard 1/3: it is shard 2/3");

    const plain = join(dir, "resume-unsharded");
    const controller = new AbortController();
    await runBench({ ...base(), out: plain, signal: controller.signal }, () => controller.abort("SIGINT")).catch(
      () => undefined,
    );
    const notSharded = await cli(resumeArgs(plain, "1/3"));
    expect(notSharded.code).toBe(2);
    expect(notSharded.stderr).toContain("it is not a sharded run; leave out --shard");
  });
});
