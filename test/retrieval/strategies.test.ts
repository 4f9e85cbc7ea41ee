import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBench } from "../../src/run/run-bench.js";
import type { RetrievalReport, StrategyRetrieval } from "../../src/schema/retrieval-report.js";
import { REPO, tempDir } from "../cli/helpers.js";

/** The demo's production config with one setting of its rules changed, as a new schema version. */
function variant(dir: string, name: string, edit: (yaml: string) => string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    edit(readFileSync(join(REPO, "configs/baseline.yaml"), "utf8"))
      .replace("schema_version: 3", "schema_version: 4")
      .replace("name: baseline-v3", `name: ${name}`),
  );
  return path;
}

async function simulate(candidateEdit: (yaml: string) => string): Promise<RetrievalReport> {
  const dir = tempDir("eb-retrieval-");
  const candidate = variant(dir, "candidate", candidateEdit);
  const outcome = await runBench({
    baseline: join(REPO, "configs/baseline.yaml"),
    candidate,
    dataset: join(REPO, "datasets/demo"),
    golden: join(REPO, "golden/demo"),
    out: join(dir, "run"),
    cwd: dir,
  });
  expect(outcome.report.retrieval).toBeDefined();
  return outcome.report.retrieval!;
}

function strategy(report: RetrievalReport, name: StrategyRetrieval["strategy"]): StrategyRetrieval {
  const found = report.strategies.find((s) => s.strategy === name);
  expect(found, name).toBeDefined();
  return found!;
}

const lookups = (s: StrategyRetrieval) => s.by_kind.lookup!.answerable!;

describe("the retrieval simulation", () => {
  it("a predicate rename makes coexist lose filtered lookups, and coexist with the suggested normalization recovers them", async () => {
    const r = await simulate((yaml) => yaml.replace("predicate_style: snake_case", "predicate_style: camelCase"));
    const baseline = strategy(r, "baseline");
    const coexist = strategy(r, "coexist");
    const normalized = strategy(r, "coexist_normalized");
    expect(r.normalization.mappings.length).toBeGreaterThan(0);
    expect(lookups(coexist)).toBeLessThan(lookups(baseline) - 0.05);
    expect(coexist.lost.by_filter.map((f) => f.filter)).toContain("predicate");
    expect(coexist.vs_baseline.answerable.ci![1]).toBeLessThan(0);
    expect(lookups(normalized)).toBe(lookups(baseline));
    expect(normalized.lost.by_filter.find((f) => f.filter === "predicate")).toBeUndefined();
    // Text queries carry no filter: the rename costs them nothing.
    expect(coexist.by_kind.text!.answerable).toBe(baseline.by_kind.text!.answerable);
  }, 120_000);

  it("a switch to slug subjects makes entity lookups fail in coexist, and only full re-extraction recovers them", async () => {
    const r = await simulate((yaml) => yaml.replace("subject_naming: name", "subject_naming: slug"));
    const baseline = strategy(r, "baseline");
    const coexist = strategy(r, "coexist");
    const normalized = strategy(r, "coexist_normalized");
    const reextract = strategy(r, "reextract");
    expect(lookups(coexist)).toBeLessThan(lookups(baseline) - 0.05);
    expect(coexist.lost.by_filter.map((f) => f.filter)).toContain("subject");
    // Predicate mappings and confidence scaling do not rename entities.
    expect(lookups(normalized)).toBeLessThan(lookups(baseline) - 0.05);
    expect(normalized.lost.by_filter.map((f) => f.filter)).toContain("subject");
    // Re-extracted whole, the store answers its lookups (in the candidate's vocabulary) as well as its unfiltered queries:
    // what it misses, the candidate did not extract.
    expect(reextract.lost.memories).toBe(0);
    expect(lookups(reextract)).toBe(reextract.by_kind.text!.answerable);
    expect(lookups(reextract)).toBeGreaterThan(lookups(coexist) + 0.05);
    expect(lookups(reextract)).toBeGreaterThan(lookups(normalized) + 0.05);
  }, 120_000);

  it("identical configs leave every strategy's store answering alike", async () => {
    const r = await simulate((yaml) => yaml);
    const baseline = strategy(r, "baseline");
    expect(r.strategies.map((s) => s.strategy)).toEqual([
      "baseline",
      "reextract",
      "coexist",
      "coexist_normalized",
      "progressive",
    ]);
    expect(baseline.answerable.value).toBeGreaterThan(0);
    for (const s of r.strategies) {
      for (const metric of ["answerable", "recall", "precision", "mrr"] as const) {
        expect(s[metric].value, `${s.strategy} ${metric}`).toBe(baseline[metric].value);
        expect(s.vs_baseline[metric].value, `${s.strategy} ${metric}`).toBe(0);
        expect(s.vs_baseline[metric].ci, `${s.strategy} ${metric}`).toEqual([0, 0]);
      }
      expect(s.lost.memories).toBe(0);
    }
  }, 120_000);
});
