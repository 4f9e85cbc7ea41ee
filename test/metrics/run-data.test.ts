import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../src/metrics/compute-metrics.js";
import { indexRunLog } from "../../src/metrics/run-data.js";
import type { RunLogRecord } from "../../src/schema/run-log.js";
import { dryRunRecord, makeCandidate, makeDryRun, makeRunData, makeRunStart, makeThresholds, threeConversationRun } from "./fixtures.js";

describe("indexRunLog", () => {
  it("needs a run_start first", () => {
    expect(() => indexRunLog([])).toThrow(/run_start/);
    expect(() => indexRunLog([dryRunRecord("baseline", makeDryRun("a", []))])).toThrow(/run_start/);
  });

  it("folds dry runs and judgements into one row per conversation, in dataset order, and keeps run_end", () => {
    const { start, records } = threeConversationRun();
    const run = makeRunData(start, records);
    expect(run.rows.map((row) => [row.result.conversation_id, row.paired])).toEqual([["c1", true], ["c2", false], ["c3", true]]);
    expect([...run.junk.keys()]).toEqual(["c1", "c2", "c3"]);
    expect(Object.keys(run.junk.get("c2")!)).toEqual(["baseline"]);
    expect(run.sides.baseline.attempted).toBe(3);
    expect(run.end?.duration_ms).toBe(60_000);
  });

  it("is the same whatever order the units were logged in", () => {
    const { start, records: all } = threeConversationRun();
    // Without the duplicated usefulness record of c1 (the first of a finished unit's records counts).
    const records = all.filter((_, i) => i !== 2);
    const end = records[records.length - 1]!;
    const shuffled = [...records.slice(0, -1)].reverse();
    // Within a unit the dry run comes first; across units any order.
    const units: RunLogRecord[] = [...shuffled.filter((r) => r.kind === "dry_run"), ...shuffled.filter((r) => r.kind !== "dry_run")];
    const a = makeRunData(start, records);
    const b = makeRunData(start, [...units, end]);
    expect(b.rows).toEqual(a.rows);
    expect(computeMetrics(b, makeThresholds())).toEqual(computeMetrics(a, makeThresholds()));
  });

  it("counts a unit logged twice once: a later record replaces a failed one", () => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 2 }] });
    const first = makeDryRun("a", [], { error: { kind: "timeout", message: "first try" } });
    const second = makeDryRun("a", [makeCandidate(), makeCandidate({ object: "Globex" })]);
    const run = makeRunData(start, [dryRunRecord("candidate", first), dryRunRecord("candidate", second)]);
    expect(run.sides.candidate.attempted).toBe(1);
    expect(run.sides.candidate.failed).toBe(0);
    expect(run.rows[0]!.result.candidate.candidates).toBe(2);
    expect(run.sides.baseline.attempted).toBe(0);
  });
});
