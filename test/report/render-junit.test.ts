import { beforeAll, describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/render-junit.js";
import type { BenchReport } from "../../src/schema/report.js";
import { hostileRun, pinned, readReport, runDemo } from "./fixtures.js";

describe("junit.xml", () => {
  let demo: BenchReport;
  beforeAll(async () => {
    demo = pinned(readReport(await runDemo()));
  });

  it("renders the demo gate as committed", async () => {
    await expect(renderJunit(demo)).toMatchFileSnapshot("../fixtures/reports/demo-junit.xml");
  });

  it("has one test case per gate check; failed and unmeasured checks are failures", () => {
    const report: BenchReport = {
      ...demo,
      gate: {
        ...demo.gate,
        passed: false,
        checks: demo.gate.checks.map((c) =>
          c.id === "recall_drop"
            ? { ...c, status: "failed" as const, value: 0.03, detail: "recall −3.0 pp [−5.0, −1.0] pp (limit 0.0 pp)" }
            : c.id === "json_fail_rate"
              ? {
                  ...c,
                  value: null,
                  status: "not_measured" as const,
                  detail: "not measured: the candidate made no extract call (limit 2.0%)",
                }
              : c,
        ),
      },
    };
    const xml = renderJunit(report);
    expect(xml.match(/<testcase /g)).toHaveLength(demo.gate.checks.length);
    const inconclusive = demo.gate.checks.filter((c) => c.status === "inconclusive").length;
    expect(xml).toMatch(
      new RegExp(
        `<testsuites name="extractor-bench" tests="${demo.gate.checks.length}" failures="2" skipped="${inconclusive}"`,
      ),
    );
    expect(xml).toMatch(/name="recall_drop" time="0">\n\s+<failure message="recall drop: recall −3\.0 pp/);
    expect(xml).toMatch(
      /name="json_fail_rate" time="0">\n\s+<failure message="candidate JSON fail rate: not measured: the candidate made no extract call/,
    );
  });

  it("an inconclusive check is a skipped case whose message says how many conversations would decide it; a failure with on_inconclusive: fail", () => {
    const inconclusive = {
      id: "precision_drop",
      description: "precision drop",
      value: 0.04,
      limit: 0.05,
      unit: "pp" as const,
      status: "inconclusive" as const,
      kind: "estimate" as const,
      detail:
        "precision −4.0 pp [−9.0, +1.0] pp (limit 5.0 pp): inconclusive, the interval straddles the limit; about 241 paired conversations would decide it (10 now)",
    };
    const withCheck = (onInconclusive: "pass" | "fail"): BenchReport => ({
      ...demo,
      gate: {
        ...demo.gate,
        thresholds: { ...demo.gate.thresholds, on_inconclusive: onInconclusive },
        checks: demo.gate.checks.map((c) => (c.id === "precision_drop" ? inconclusive : c)),
      },
    });
    expect(renderJunit(withCheck("pass"))).toMatch(
      /name="precision_drop" time="0">\n\s+<skipped message="precision drop: precision −4\.0 pp \[−9\.0, \+1\.0\] pp \(limit 5\.0 pp\): inconclusive, the interval straddles the limit; about 241 paired conversations would decide it \(10 now\)"\/>/,
    );
    expect(renderJunit(withCheck("fail"))).toMatch(
      /name="precision_drop" time="0">\n\s+<failure message="precision drop: [^"]*inconclusive[^"]*" type="inconclusive">/,
    );
  });

  it("an unmeasured check the thresholds let pass is skipped, not passed", () => {
    const report: BenchReport = {
      ...demo,
      gate: {
        ...demo.gate,
        thresholds: { ...demo.gate.thresholds, on_unmeasured: "pass" },
        checks: demo.gate.checks.map((c) =>
          c.id === "json_fail_rate" ? { ...c, value: null, status: "not_measured" as const } : c,
        ),
      },
    };
    expect(renderJunit(report)).toMatch(/name="json_fail_rate" time="0">\n\s+<skipped message=/);
  });

  it("escapes config names into well-formed XML", async () => {
    const { report } = await hostileRun();
    const xml = renderJunit(report);
    expect(xml).not.toMatch(/<script/);
    expect(xml).not.toContain("\u001b");
    expect(xml).toContain("&lt;script&gt;");
  });
});
