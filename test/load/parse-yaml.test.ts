import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/errors.js";
import { parseYaml } from "../../src/load/parse-yaml.js";

function problemsOf(text: string): Array<Pick<Problem, "line" | "message">> {
  const problems: Problem[] = [];
  parseYaml(text, "bench.yaml", problems);
  return problems.map(({ line, message }) => ({ line, message }));
}

describe("a mis-indented YAML line", () => {
  it.each([
    {
      shape: "a key indented deeper than the key above it",
      text: "seed: 42\nthresholds:\n  max_precision_drop: 0.05\n   max_recall_drop: 0\n  max_junk_increase: 0.05\n",
      line: 4,
      reason: "it is indented deeper than line 3, whose value is already given",
    },
    {
      shape: "a top-level key indented under a key with a value",
      text: "baseline: a.yaml\n  candidate: b.yaml\ndataset: d\n",
      line: 2,
      reason: "it is indented deeper than line 1, whose value is already given",
    },
    {
      shape: "a top-level key indented after a blank line and a comment",
      text: "baseline: a.yaml\n\n# the new one\n  candidate: b.yaml\ndataset: d\n",
      line: 4,
      reason: "the keys of one mapping must start at the same column",
    },
    {
      shape: "a key indented less than its siblings",
      text: "thresholds:\n  max_precision_drop: 0.05\n max_recall_drop: 0\n  max_junk_increase: 0.05\n  max_json_fail_rate: 0.02\n",
      line: 3,
      reason: "the keys of one mapping must start at the same column",
    },
    {
      shape: "a list item indented less than the items above it",
      text: "confidence_buckets:\n  - 0\n - 0.5\n  - 1\n",
      line: 3,
      reason: "the items of one list or mapping must start at the same column",
    },
    {
      shape: "Windows line endings",
      text: "seed: 42\r\n  judge: heuristic\r\n",
      line: 2,
      reason: "it is indented deeper than line 1, whose value is already given",
    },
  ])("$shape: one short problem naming the line", ({ text, line, reason }) => {
    expect(problemsOf(text)).toEqual([
      { line, message: `invalid YAML: check the indentation of line ${line} (${reason})` },
    ]);
  });

  it("leaves other syntax errors to the parser's own words", () => {
    expect(problemsOf("judge: heuristic: x\n")).toEqual([
      { line: 1, message: "invalid YAML: Nested mappings are not allowed in compact mappings" },
    ]);
    expect(problemsOf("buckets: [0, 0.5\nseed: 1\n")[0]).toMatchObject({
      line: 1,
      message: expect.stringContaining("Flow sequence in block collection"),
    });
  });
});
