import { describe, expect, it } from "vitest";
import { indexRunLog } from "../../src/metrics/run-data.js";
import { dryRunRecord, makeCandidate, makeDryRun, makeRunData, makeRunStart, threeConversationRun } from "./fixtures.js";

describe("indexRunLog", () => {
  it("needs a run_start first", () => {
    expect(() => indexRunLog([])).toThrow(/run_start/);
    expect(() => indexRunLog([dryRunRecord("baseline", makeDryRun("a", []))])).toThrow(/run_start/);
  });

  it("indexes dry runs and judgements by role and conversation, and keeps run_end", () => {
    const { start, records } = threeConversationRun();
    const run = makeRunData(start, records);
    expect([...run.roles.baseline.dryRuns.keys()]).toEqual(["c1", "c2", "c3"]);
    expect([...run.roles.candidate.coverage.keys()]).toEqual(["c1", "c2", "c3"]);
    expect([...run.roles.candidate.junk.keys()]).toEqual(["c1", "c3"]);
    expect(run.end?.duration_ms).toBe(60_000);
  });

  it("counts a unit logged twice once: the last record wins", () => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 2 }] });
    const first = makeDryRun("a", [], { error: { kind: "timeout", message: "first try" } });
    const second = makeDryRun("a", [makeCandidate(), makeCandidate({ object: "Globex" })]);
    const run = makeRunData(start, [dryRunRecord("candidate", first), dryRunRecord("candidate", second)]);
    expect(run.roles.candidate.dryRuns.size).toBe(1);
    expect(run.roles.candidate.dryRuns.get("a")).toEqual(second);
    expect(run.roles.baseline.dryRuns.size).toBe(0);
  });
});
