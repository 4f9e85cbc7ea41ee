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
          c.id === "recall_drop" ? { ...c, passed: false, value: 0.03 } : c.id === "json_fail_rate" ? { ...c, value: null, passed: false, detail: "no extract calls" } : c,
        ),
      },
    };
    const xml = renderJunit(report);
    expect(xml.match(/<testcase /g)).toHaveLength(demo.gate.checks.length);
    expect(xml).toMatch(/<testsuites name="extractor-bench" tests="6" failures="2" skipped="0"/);
    expect(xml).toMatch(/name="recall_drop" time="0">\n\s+<failure message="recall change/);
    expect(xml).toMatch(/name="json_fail_rate" time="0">\n\s+<failure message="candidate JSON fail rate could not be measured/);
  });

  it("an unmeasured check the thresholds let pass is skipped, not passed", () => {
    const report: BenchReport = { ...demo, gate: { ...demo.gate, checks: demo.gate.checks.map((c) => (c.id === "json_fail_rate" ? { ...c, value: null } : c)) } };
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
