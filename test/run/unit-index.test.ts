import { describe, expect, it } from "vitest";
import { UnitIndex } from "../../src/run/unit-index.js";
import type { RunLogRecord } from "../../src/schema/run-log.js";

/** The fields of a record the unit index reads; the rest of a real record does not matter to it. */
const dryRun = (role: "baseline" | "candidate", id: string, candidates: number, error?: string) =>
  ({
    kind: "dry_run",
    role,
    conversation_id: id,
    result: {
      candidates: Array.from({ length: candidates }, () => ({})),
      ...(error ? { error: { kind: "x", message: error } } : {}),
    },
  }) as unknown as RunLogRecord;
const coverage = (role: "baseline" | "candidate", id: string, extra: Record<string, unknown> = {}) =>
  ({ kind: "judgement", task: "coverage", role, conversation_id: id, items: [], ...extra }) as unknown as RunLogRecord;

describe("UnitIndex", () => {
  it("answers where each unit's dry run and coverage judgement sit, for thousands of conversations", () => {
    const units = new UnitIndex();
    // Past the first columns' 2,048 rows: they grow and keep what they held.
    for (let i = 0; i < 5_000; i++) {
      units.note(dryRun("baseline", `c${i}`, i % 7), { offset: i * 100, bytes: 99 });
      units.note(dryRun("candidate", `c${i}`, 3, i % 1000 === 0 ? "boom" : undefined), {
        offset: i * 100 + 50,
        bytes: 49,
      });
      if (i % 2 === 0) units.noteForRetrieval(coverage("candidate", `c${i}`), { offset: 3e9 + i, bytes: 7 });
    }
    expect(units.dryRun("baseline", "c4321")).toEqual({
      at: { offset: 432_100, bytes: 99 },
      candidates: 4321 % 7,
      failed: false,
    });
    expect(units.dryRun("candidate", "c3000")).toEqual({
      at: { offset: 300_050, bytes: 49 },
      candidates: 3,
      failed: true,
    });
    // Offsets past 2^31 (a run log of several GB) come back whole.
    expect(units.coverageAt("candidate", "c4998")).toEqual({ offset: 3e9 + 4998, bytes: 7 });
    expect(units.coverageAt("candidate", "c4999")).toBeUndefined();
    expect(units.coverageAt("baseline", "c0")).toBeUndefined();
    expect(units.dryRun("baseline", "unknown")).toBeUndefined();
  });

  it("keeps a redone dry run's record, and the first coverage judgement that did not fail", () => {
    const units = new UnitIndex();
    units.note(dryRun("baseline", "a", 0, "timeout"), { offset: 0, bytes: 10 });
    units.note(dryRun("baseline", "a", 2), { offset: 20, bytes: 10 });
    expect(units.dryRun("baseline", "a")).toEqual({ at: { offset: 20, bytes: 10 }, candidates: 2, failed: false });
    expect(units.dryRun("candidate", "a")).toBeUndefined();
    units.noteForRetrieval(coverage("baseline", "a", { error: "bad answer" }), { offset: 40, bytes: 5 });
    units.noteForRetrieval(coverage("baseline", "a", { repeat: 1 }), { offset: 50, bytes: 5 });
    expect(units.coverageAt("baseline", "a")).toBeUndefined();
    units.noteForRetrieval(coverage("baseline", "a"), { offset: 60, bytes: 5 });
    units.noteForRetrieval(coverage("baseline", "a"), { offset: 70, bytes: 5 });
    expect(units.coverageAt("baseline", "a")).toEqual({ offset: 60, bytes: 5 });
  });
});
