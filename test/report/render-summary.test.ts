import { describe, expect, it } from "vitest";
import { renderSummary } from "../../src/report/render-summary.js";
import { COLOURS } from "../../src/cli/colour.js";
import { hostileRun } from "./fixtures.js";

describe("terminal summary", () => {
  it("a config name with an escape sequence and a newline cannot forge or rewrite a line", async () => {
    const { report } = await hostileRun();
    const failed = {
      ...report,
      gate: {
        ...report.gate,
        passed: false,
        checks: report.gate.checks.map((c, i) => (i === 0 ? { ...c, status: "failed" as const, value: 0.2 } : c)),
      },
    };
    const text = renderSummary(failed);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    const gateLines = text.split("\n").filter((l) => /^Gate: /.test(l));
    expect(gateLines).toHaveLength(1);
    expect(gateLines[0]).toMatch(
      /^Gate: FAILED \(\d+ of \d+ checks block it: \d+ passed(, \d+ (failed|inconclusive|not measured))*\)$/,
    );
    expect(text.split("\n")[0]).toContain("␛[2K␍Gate: PASSED␤");
  });

  it("colours only the bench's own marks, never data", async () => {
    const { report } = await hostileRun();
    const text = renderSummary(report, COLOURS);
    // every ESC in the output opens or closes one of the bench's own SGR sequences
    expect(text.replace(/\u001b\[(?:1|22|31|32|33|39)m/g, "")).not.toContain("\u001b");
    expect(text).toContain("\u001b[1mVerdict: ");
  });
});
