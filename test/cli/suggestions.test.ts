import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { cli, REPO, tempDir } from "./helpers.js";

async function runWithCandidate(candidateFile: string): Promise<BenchReport> {
  const out = join(tempDir(), "run");
  await cli(["run", join(REPO, "extractor-bench.yaml"), "--candidate", candidateFile, "--out", out]);
  return BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
}

describe("the suggested config snippets", () => {
  it("applied to the candidate, close the predicate break and the confidence shift", async () => {
    const first = await runWithCandidate(join(REPO, "configs/candidate.yaml"));
    const { normalization, scaling } = first.recommendation.snippets;
    expect(normalization).toBeDefined();
    expect(scaling).toBeDefined();

    const candidate = parse(readFileSync(join(REPO, "configs/candidate.yaml"), "utf8"));
    const patched = { ...candidate, ...parse(normalization!), ...parse(scaling!) };
    const file = join(tempDir(), "candidate-patched.yaml");
    writeFileSync(file, stringify(patched));

    const second = await runWithCandidate(file);
    expect(second.vocabulary.jaccard).toBe(1);
    expect(second.vocabulary.band).toBe("minimal");
    expect(second.recommendation.rules.map((r) => r.id)).not.toContain("predicate_renamed");
    expect(second.flags.map((f) => f.id)).not.toContain("confidence_shift");
    expect(Math.abs(second.metrics.delta.confidence_mean!)).toBeLessThan(0.02);
  });
});
