import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { proposeMemories } from "../../src/golden/propose.js";
import { cli, REPO, runArgs, tempDir } from "../cli/helpers.js";

const DATASET = join(REPO, "datasets/demo/conversations.jsonl");
const GOLDEN = join(REPO, "golden/demo/golden.jsonl");

describe("human labels in a run", () => {
  it("adds judge-vs-human agreement to report.json and report.md, and keeps it when re-rendered", async () => {
    const dir = tempDir("eb-labels-");
    const { proposals } = await proposeMemories({
      config: join(REPO, "configs/baseline.yaml"),
      dataset: DATASET,
      out: join(dir, "proposals.jsonl"),
    });
    const labels = proposals
      .slice(0, 6)
      .map((p, i) => ({ conversation_id: p.conversation_id, text: p.text, usefulness: i < 4 ? 5 : 1, junk: i >= 4 }));
    // Two labels of texts no config extracts (written by hand, or by an extractor worded otherwise).
    labels.push(
      {
        conversation_id: labels[0]!.conversation_id,
        text: "Prefers tea over coffee in the mornings",
        usefulness: 4,
        junk: false,
      },
      { conversation_id: labels[1]!.conversation_id, text: "Owns a red bicycle", usefulness: 2, junk: false },
    );
    const labelsFile = join(dir, "labels.jsonl");
    writeFileSync(labelsFile, labels.map((l) => `${JSON.stringify(l)}\n`).join(""));

    const out = join(dir, "run");
    const run = await cli([...runArgs({ dataset: DATASET, golden: GOLDEN, out }), "--labels", labelsFile]);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.agreement).toMatchObject({
      labels: 8,
      matched: 6,
      unmatched: { conversation_not_in_run: 0, text_not_extracted: 2 },
    });
    expect(report.agreement.usefulness.pairs).toBeGreaterThanOrEqual(6);
    expect(report.agreement.usefulness.pairs - report.agreement.usefulness.disagreements_total).toBeCloseTo(
      report.agreement.usefulness.accuracy * report.agreement.usefulness.pairs,
      3,
    );
    const markdown = readFileSync(join(out, "report.md"), "utf8");
    expect(markdown).toContain(
      "### Judge vs human labels\n\n6 of 8 labels matched a candidate of this run (by conversation and text). Of the others, 2 name a text neither config extracted here (the extractors' wording changed since they were labelled). The judge is not an LLM.\n",
    );
    expect(markdown).toContain("| usefulness (useful or not) |");

    expect((await cli(["report", out])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).agreement).toEqual(report.agreement);
  });

  it("exits 2 on a labels file that names an unknown conversation, with file and line", async () => {
    const dir = tempDir("eb-labels-");
    const labelsFile = join(dir, "labels.jsonl");
    const records = [
      { conversation_id: "conv-alice-01", text: "x", usefulness: 4 },
      { conversation_id: "conv-alice-01", text: "y", usefulness: 9 },
      { conversation_id: "nope", text: "z", junk: true },
    ];
    writeFileSync(labelsFile, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const run = await cli([
      ...runArgs({ dataset: DATASET, golden: GOLDEN, out: join(dir, "run") }),
      "--labels",
      labelsFile,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${labelsFile}:2: usefulness: expected number to be <=5, got 9\n${labelsFile}:3: conversation_id: no conversation "nope" in the dataset`,
    );
  });
});
