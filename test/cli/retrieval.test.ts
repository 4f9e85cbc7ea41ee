import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { BenchReport } from "../../src/schema/report.js";
import { cli, REPO, tempDir } from "./helpers.js";

/** A bench file over the demo set, with extra lines appended. */
function benchFile(dir: string, extra: string): string {
  const path = join(dir, "bench.yaml");
  writeFileSync(
    path,
    [
      `baseline: ${join(REPO, "configs/baseline.yaml")}`,
      `candidate: ${join(REPO, "configs/candidate.yaml")}`,
      `dataset: ${join(REPO, "datasets/demo")}`,
      `golden: ${join(REPO, "golden/demo")}`,
      extra,
    ].join("\n"),
  );
  return path;
}

describe("run: the retrieval simulation", () => {
  let out: string;
  let stdout: string;
  let report: BenchReport;
  beforeAll(async () => {
    out = join(tempDir(), "run");
    const result = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out]);
    expect(result.code, result.stderr).toBeLessThan(2);
    stdout = result.stdout;
    report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as BenchReport;
  }, 180_000);

  it("shows the demo's strategies side by side with intervals, in every format", () => {
    const r = report.retrieval!;
    expect(r.query_source).toBe("derived");
    expect(r.strategies.map((s) => s.strategy)).toEqual([
      "baseline",
      "reextract",
      "coexist",
      "coexist_normalized",
      "progressive",
    ]);
    for (const s of r.strategies) {
      expect(s.answerable.ci, s.strategy).not.toBeNull();
      expect(s.answerable.ci![0]).toBeLessThanOrEqual(s.answerable.value!);
      expect(s.answerable.ci![1]).toBeGreaterThanOrEqual(s.answerable.value!);
    }
    // The demo renames predicates: the mixed store loses lookups to the predicate filter, and says so.
    const coexist = r.strategies.find((s) => s.strategy === "coexist")!;
    expect(coexist.lost.by_filter.map((f) => f.filter)).toContain("predicate");
    expect(r.examples.some((e) => e.strategy === "coexist" && e.excluded_by?.includes("predicate"))).toBe(true);
    expect(report.recommendation.retrieval?.rule).toMatch(/measured safe when the 95% paired interval/);

    expect(stdout).toMatch(
      /Retrieval simulation \(bm25, k 5, \d+ derived queries over 7 scopes\), answerable share: baseline [\d.]+% \[[\d.]+%, [\d.]+%\] · reextract/,
    );
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toContain("### What each strategy does to retrieval");
    expect(md).toMatch(/\| coexist \| [\d.]+% \\\[[\d.]+%, [\d.]+%\\\] \| −[\d.]+ pp/);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain('<section id="retrieval"><h2>What each strategy does to retrieval</h2>');
    expect(html).toContain('aria-label="Answerable share per strategy"');
  });

  it("asks the queries of a queries file, and gates on coexist's loss when asked to", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "queries.jsonl"),
      [
        {
          id: "q1",
          scope: "user:alice",
          text: "Alice allergic penicillin",
          filters: { predicate: "allergic_to" },
          relevant_golden: ["g-alice-03-02"],
        },
        { id: "q2", conversation_id: "conv-alice-01", text: "Alice works at Stripe", relevant_turns: ["t4"] },
      ]
        .map((q) => JSON.stringify(q))
        .join("\n"),
    );
    const bench = benchFile(dir, "queries: queries.jsonl\nthresholds:\n  max_coexist_retrieval_loss: 0.5");
    const runDir = join(dir, "run");
    const result = await cli(["run", bench, "--out", runDir]);
    expect(result.code, result.stderr).toBeLessThan(2);
    const written = JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")) as BenchReport;
    expect(written.retrieval!.query_source).toBe("file");
    expect(written.retrieval!.queries).toBe(2);
    const check = written.gate.checks.find((c) => c.id === "coexist_retrieval_loss");
    expect(check?.status).not.toBe("not_measured");
    expect(check?.unit).toBe("pp");
  }, 180_000);

  it("leaves the gate check out unless its threshold is set", () => {
    expect(report.gate.checks.map((c) => c.id)).not.toContain("coexist_retrieval_loss");
  });

  it("refuses a queries file naming what does not exist, with file and line, before any work (exit 2)", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "queries.jsonl"),
      [
        { id: "ok", scope: "user:alice", text: "Alice works at Stripe", relevant_golden: ["g-alice-01-01"] },
        { id: "bad-conversation", conversation_id: "conv-nobody", text: "x", relevant_turns: ["t1"] },
        { id: "bad-golden", scope: "user:alice", text: "x", relevant_golden: ["g-nope"] },
        {
          id: "bad-filter",
          scope: "user:alice",
          text: "x",
          filters: { colour: "red" },
          relevant_golden: ["g-alice-01-01"],
        },
        { id: "bad-turn", conversation_id: "conv-alice-01", text: "x", relevant_turns: ["t999"] },
        { id: "bad-scope", scope: "user:nobody", text: "x", relevant_golden: ["g-alice-01-01"] },
      ]
        .map((q) => JSON.stringify(q))
        .join("\n"),
    );
    const runDir = join(dir, "run");
    const result = await cli(["run", benchFile(dir, "queries: queries.jsonl"), "--out", runDir]);
    expect(result.code).toBe(2);
    const file = join(dir, "queries.jsonl");
    expect(result.stderr).toContain(`${file}:2: conversation_id: no conversation "conv-nobody" in the dataset`);
    expect(result.stderr).toContain(`${file}:3: relevant_golden[0]: no golden memory "g-nope" in the golden set`);
    expect(result.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:4: filters.*colour`));
    expect(result.stderr).toContain(`${file}:5: relevant_turns[0]: no turn "t999" in conversation "conv-alice-01"`);
    expect(result.stderr).toContain(`${file}:6: scope: no conversation of the dataset has scope "user:nobody"`);
    expect(existsSync(join(runDir, "run.jsonl"))).toBe(false);
  });
});
