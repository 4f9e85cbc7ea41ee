import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadThresholdsFile } from "../../src/load/load-thresholds.js";
import { tempDir } from "../cli/helpers.js";

function file(text: string): string {
  const path = join(tempDir("eb-thresholds-"), "thresholds.yaml");
  writeFileSync(path, text);
  return path;
}

function problemsOf(path: string): string {
  try {
    loadThresholdsFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("a thresholds file (gate --thresholds)", () => {
  it("is a bare mapping, or a thresholds: block beside other settings (a bench file)", () => {
    expect(loadThresholdsFile(file("max_precision_drop: 0.1\n"))).toEqual({ max_precision_drop: 0.1 });
    expect(loadThresholdsFile(file("baseline: a.yaml\nthresholds:\n  max_recall_drop: 0.02\n"))).toEqual({
      max_recall_drop: 0.02,
    });
  });

  it("refuses a threshold written beside the thresholds: block, which nothing would read", () => {
    const path = file("max_precision_drop: 0.2\nthresholds:\n  max_recall_drop: 0.02\n");
    expect(problemsOf(path)).toBe(
      `${path}:1: max_precision_drop: a threshold beside the thresholds: block would be ignored: move it into the block (or remove the block)`,
    );
  });

  it("locates a bad value inside the block", () => {
    const path = file("thresholds:\n  max_recall_drop: 5\n");
    expect(problemsOf(path)).toMatch(new RegExp(`^${path}:2: thresholds\\.max_recall_drop: `));
  });
});
