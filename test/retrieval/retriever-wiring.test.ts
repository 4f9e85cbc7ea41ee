import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BenchReportSchema } from "../../src/schema/report.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";

const RETRIEVE = join(REPO, "test/fixtures/retrievers/retrieve.mjs");

/** One user of the demo set (a process per search is slow): their conversations and golden memories. */
function smallSet(dir: string): { dataset: string; golden: string } {
  const scopes = new Set(["user:alice"]);
  const conversations = readFileSync(join(REPO, "datasets/demo/conversations.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line && scopes.has(JSON.parse(line).scope.namespace));
  const ids = new Set(conversations.map((line) => JSON.parse(line).id));
  const golden = readFileSync(join(REPO, "golden/demo/golden.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line && ids.has(JSON.parse(line).conversation_id));
  const files = { dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl") };
  writeFileSync(files.dataset, `${conversations.join("\n")}\n`);
  writeFileSync(files.golden, `${golden.join("\n")}\n`);
  return files;
}

/** The demo configs over one user with a `command` retriever running the fixture in `mode`, and a small query sample. */
function benchWithCommand(mode: string): string {
  const dir = tempDir("eb-retriever-");
  const file = join(dir, "bench.yaml");
  const set = smallSet(dir);
  writeFileSync(
    file,
    [
      `baseline: ${join(REPO, "configs/baseline.yaml")}`,
      `candidate: ${join(REPO, "configs/candidate.yaml")}`,
      `dataset: ${set.dataset}`,
      `golden: ${set.golden}`,
      "min_paired_conversations: 2",
      "retrieval:",
      "  max_queries_per_scope: 1",
      "  coexist_sweep: []",
      "  retriever:",
      "    kind: command",
      `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(RETRIEVE)}, ${mode}]`,
      "",
    ].join("\n"),
  );
  return file;
}

async function runWith(mode: string) {
  const bench = benchWithCommand(mode);
  const out = join(tempDir("eb-retriever-"), "run");
  const run = await cli(["run", bench, "--out", out]);
  return { run, report: BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))) };
}

describe("a retriever named in the bench file", () => {
  it("ranks every strategy's stores: a team's own program, through the registry", async () => {
    const { run, report } = await runWith("good");
    expect(run.stderr).not.toMatch(/error/i);
    const retrieval = report.retrieval!;
    expect(retrieval.retriever).toBe("command");
    expect(retrieval.queries).toBeGreaterThan(0);
    for (const strategy of retrieval.strategies) {
      expect(strategy.failed, strategy.strategy).toBe(0);
      expect(strategy.queries, strategy.strategy).toBe(retrieval.queries);
    }
    expect(retrieval.strategies.find((s) => s.strategy === "baseline")!.answerable.value).toBeGreaterThan(0);
  }, 120_000);

  it("counts a search the program fails as failed, never as an empty ranking", async () => {
    const { report } = await runWith("exit1");
    for (const strategy of report.retrieval!.strategies) {
      // One user, one golden memory, a lookup and a text query for it: 2 searches, both failed.
      expect(strategy.failed, strategy.strategy).toBe(2);
      expect(strategy.queries, strategy.strategy).toBe(0);
      expect(strategy.answerable.value, strategy.strategy).toBeNull();
    }
  }, 120_000);
});
