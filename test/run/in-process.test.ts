import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBench } from "../../src/run/run-bench.js";
import { readRunLog } from "../../src/run/run-log.js";
import { REPO, tempDir } from "../cli/helpers.js";

/** The conversation ids the log's records name, in log order, each run of repeats written once. */
function conversationsInLogOrder(runDir: string): string[] {
  const ids = readRunLog(join(runDir, "run.jsonl")).records.flatMap((r) =>
    "conversation_id" in r ? [r.conversation_id] : [],
  );
  return ids.filter((id, i) => id !== ids[i - 1]);
}

describe("units that wait on nothing", () => {
  it("run one after the other whatever `concurrency` says: each conversation's records sit together, in dataset order", async () => {
    const dir = tempDir("eb-in-process-");
    const dataset = join(REPO, "datasets/demo/conversations.jsonl");
    writeFileSync(
      join(dir, "bench.yaml"),
      [
        `baseline: ${join(REPO, "configs/baseline.yaml")}`,
        `candidate: ${join(REPO, "configs/candidate.yaml")}`,
        `dataset: ${dataset}`,
        `golden: ${join(REPO, "golden/demo/golden.jsonl")}`,
        "concurrency: 8",
        "",
      ].join("\n"),
    );
    const out = join(dir, "run");
    await runBench({ benchFile: join(dir, "bench.yaml"), out });
    const datasetOrder = readFileSync(dataset, "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(conversationsInLogOrder(out)).toEqual(datasetOrder);
  });
});
