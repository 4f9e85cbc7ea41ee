import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../src/metrics/compute-metrics.js";
import { pairedConversations } from "../../src/metrics/completeness.js";
import { MAX_CONVERSATION_ROWS } from "../../src/metrics/run-data.js";
import { indexRunLog } from "../../src/run/run-fold.js";
import type { RunLogRecord } from "../../src/schema/run-log.js";
import {
  dryRunRecord,
  makeCandidate,
  makeDryRun,
  makeRunData,
  makeRunStart,
  makeThresholds,
  threeConversationRun,
} from "./fixtures.js";

describe("indexRunLog", () => {
  it("needs a run_start first", () => {
    expect(() => indexRunLog([])).toThrow(/run_start/);
    expect(() => indexRunLog([dryRunRecord("baseline", makeDryRun("a", []))])).toThrow(/run_start/);
  });

  it("folds dry runs and judgements into one row per conversation, in dataset order, and keeps run_end", () => {
    const { start, records } = threeConversationRun();
    const run = makeRunData(start, records);
    expect(run.conversations.map((row) => row.conversation_id)).toEqual(["c1", "c2", "c3"]);
    expect(pairedConversations(run)).toEqual(["c1", "c3"]);
    expect(run.conversationCounts).toEqual({ total: 3, changed: 3, failed: 1 });
    expect([...run.junkCategories.keys()].sort()).toEqual([
      "baseline\u0000c2",
      "baseline\u0000c3",
      "candidate\u0000c1",
    ]);
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
    const units: RunLogRecord[] = [
      ...shuffled.filter((r) => r.kind === "dry_run"),
      ...shuffled.filter((r) => r.kind !== "dry_run"),
    ];
    const a = makeRunData(start, records);
    const b = makeRunData(start, [...units, end]);
    expect(b.conversations).toEqual(a.conversations);
    expect(computeMetrics(b, makeThresholds())).toEqual(computeMetrics(a, makeThresholds()));
  });

  it("counts a unit logged twice once: a later record replaces a failed one", () => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 2 }] });
    const first = makeDryRun("a", [], { error: { kind: "timeout", message: "first try" } });
    const second = makeDryRun("a", [makeCandidate(), makeCandidate({ object: "Globex" })]);
    const run = makeRunData(start, [dryRunRecord("candidate", first), dryRunRecord("candidate", second)]);
    expect(run.sides.candidate.attempted).toBe(1);
    expect(run.sides.candidate.failed).toBe(0);
    expect(run.conversations[0]!.candidate.candidates).toBe(2);
    expect(run.sides.baseline.attempted).toBe(0);
  });
});

describe("conversation rows of a large run", () => {
  it("lists every conversation up to the limit; beyond it the largest changes, in dataset order, with counts of all", () => {
    const n = MAX_CONVERSATION_ROWS + 5;
    const ids = Array.from({ length: n }, (_, i) => `c${i}`);
    const start = makeRunStart({ conversations: ids.map((id) => ({ id, turns: 2 })) });
    const changedAt = new Set([3, 500, n - 1]);
    const records = ids.flatMap((id, i) => [
      dryRunRecord("baseline", makeDryRun(id, [makeCandidate()])),
      dryRunRecord(
        "candidate",
        makeDryRun(id, changedAt.has(i) ? [makeCandidate(), makeCandidate({ object: "Globex" })] : [makeCandidate()]),
      ),
    ]);
    const run = makeRunData(start, records);
    expect(run.conversationCounts).toEqual({ total: n, changed: 3, failed: 0 });
    expect(run.conversations).toHaveLength(MAX_CONVERSATION_ROWS);
    const listed = run.conversations.map((c) => c.conversation_id);
    for (const i of changedAt) expect(listed).toContain(`c${i}`);
    expect(listed.indexOf("c3")).toBeLessThan(listed.indexOf("c500"));
    expect(listed.indexOf("c500")).toBeLessThan(listed.indexOf(`c${n - 1}`));
  });
});
