import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { cli, REPO, runArgs, tempDir } from "../cli/helpers.js";

/** The demo report with the fields that change from run to run pinned. */
function pinned(report: BenchReport): BenchReport {
  const pinLatency = (m: BenchReport["metrics"]["baseline"]) => ({ ...m, operating: { ...m.operating, latency_p50_ms: 1, latency_p95_ms: 2 } });
  return {
    ...report,
    run: { ...report.run, run_id: "20260101-000000-abcdef", started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:00:01.000Z", duration_ms: 1000 },
    metrics: { ...report.metrics, baseline: pinLatency(report.metrics.baseline), candidate: pinLatency(report.metrics.candidate) },
  };
}

describe("report.md", () => {
  let demo: BenchReport;
  beforeAll(async () => {
    const out = join(tempDir(), "run");
    await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out]);
    demo = BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
  });

  it("renders the demo report as committed", async () => {
    await expect(renderMarkdown(pinned(demo))).toMatchFileSnapshot("../fixtures/reports/demo-report.md");
  });

  it("stays PR-comment sized", () => {
    expect(renderMarkdown(demo).length).toBeLessThan(65_000);
  });

  it("escapes conversation and golden text: markup renders as text", async () => {
    const dir = tempDir();
    const turns = [
      { id: "t1", speaker: "Ann", role: "user", text: "I live in <script>alert(1)</script> | Paris" },
      { id: "t2", speaker: "assistant", role: "assistant", text: "ok" },
      { id: "t3", speaker: "Ann", role: "user", text: "I love **bold** [links](http://x) and `code`" },
    ];
    writeFileSync(join(dir, "conversations.jsonl"), `${JSON.stringify({ id: "c<1>", scope: { namespace: "user:ann" }, entities: [{ name: "Ann", aliases: [] }], turns })}\n`);
    writeFileSync(
      join(dir, "golden.jsonl"),
      [
        { id: "g1", conversation_id: "c<1>", text: "Ann has a <img src=x onerror=alert(1)> cat | named Tom", evidence: ["t1"] },
        { id: "g2", conversation_id: "c<1>", text: "Ann loves **bold** things", evidence: ["t3"] },
      ]
        .map((g) => JSON.stringify(g))
        .join("\n"),
    );
    const out = join(dir, "run");
    await cli(runArgs({ dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl"), out }));
    const report = BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
    const md = renderMarkdown({ ...report, missed: report.missed.map((m) => ({ ...m, covered_by_other: m.role === "candidate" })) });
    expect(md).not.toMatch(/(?<!\\)<(?:script|img)/);
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt; cat \\| named Tom");
  });
});
