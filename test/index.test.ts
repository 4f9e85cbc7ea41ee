import { describe, expect, it } from "vitest";
import * as bench from "../src/index.js";

describe("library entry point", () => {
  it("exposes the pipeline stages and the schemas", () => {
    expect(typeof bench.runBench).toBe("function");
    expect(typeof bench.rememberDry).toBe("function");
    expect(typeof bench.buildReport).toBe("function");
    expect(typeof bench.renderHtml).toBe("function");
    expect(typeof bench.renderJunit).toBe("function");
    expect(bench.BenchReportSchema).toBeDefined();
    expect(bench.FORMAT_VERSION).toBe(3);
    expect(typeof bench.importGoldenSet).toBe("function");
    expect(typeof bench.computeAgreement).toBe("function");
    expect(typeof bench.mergeRuns).toBe("function");
    expect(typeof bench.shardOfConversation).toBe("function");
  });
});
