import { describe, expect, it } from "vitest";
import { MemoryTable, memoryId } from "../../src/retrieval/memory-table.js";
import type { Candidate } from "../../src/schema/candidate.js";

const candidate = (text: string, extra: Partial<Candidate> = {}) =>
  ({
    text,
    type: "fact",
    subject: "Ann",
    predicate: "lives_in",
    raw_predicate: "lives in",
    object: text.split(" ").at(-1)!,
    confidence: 0.8,
    evidence: ["t1", "t2"],
    entities: [{ mention: "Ann", id: "ent-ann", stage: "exact" }],
    ...extra,
  }) as unknown as Candidate;

describe("MemoryTable", () => {
  it("gives back each memory as a store holds it, fields in the order a store sends them", () => {
    const table = new MemoryTable("user:ann");
    expect(table.add([candidate("Ann lives in Lisbon")], "baseline", "c1")).toEqual([0, 1]);
    const unresolved = candidate("Ann likes jazz", {
      predicate: "likes",
      confidence: 0.35,
      evidence: ["t9"],
      entities: [{ mention: "Ann", id: "ent-x", stage: "fallback" }],
    } as Partial<Candidate>);
    expect(table.add([candidate("Ann lives in Porto"), unresolved], "candidate", "c1")).toEqual([1, 3]);
    expect(JSON.stringify(table.memory(0))).toBe(
      JSON.stringify({
        id: "baseline:c1#0",
        conversation_id: "c1",
        scope: "user:ann",
        version: "baseline",
        type: "fact",
        subject: "Ann",
        subject_entity: "ent-ann",
        predicate: "lives_in",
        object: "Lisbon",
        text: "Ann lives in Lisbon",
        confidence: 0.8,
        evidence: ["t1", "t2"],
      }),
    );
    // A subject that reached the fallback stage names no entity.
    expect(table.memory(2)).toEqual({
      id: memoryId("candidate", "c1", 1),
      conversation_id: "c1",
      scope: "user:ann",
      version: "candidate",
      type: "fact",
      subject: "Ann",
      predicate: "likes",
      object: "jazz",
      text: "Ann likes jazz",
      confidence: 0.35,
      evidence: ["t9"],
    });
  });

  it("finds a row from its memory id, and nothing from an id no memory has", () => {
    const table = new MemoryTable("s");
    table.add([candidate("a b"), candidate("c d")], "baseline", "conv#1:x");
    table.add([], "candidate", "conv#1:x");
    table.add([candidate("e f")], "candidate", "c2");
    expect(table.rowOfId("baseline:conv#1:x#1")).toBe(1);
    expect(table.rowOfId("candidate:c2#0")).toBe(2);
    for (const id of ["candidate:conv#1:x#0", "baseline:conv#1:x#2", "baseline:c2#0", "other:c2#0", "c2#0", "x"])
      expect(table.rowOfId(id)).toBeUndefined();
  });

  it("lists the golden memories a row covers in the order they were noted", () => {
    const table = new MemoryTable("s");
    table.add([candidate("a b"), candidate("c d")], "baseline", "c1");
    table.addCover(1, "g2");
    table.addCover(0, "g1");
    table.addCover(1, "g1");
    expect(table.covers(0)).toEqual(["g1"]);
    expect(table.covers(1)).toEqual(["g2", "g1"]);
  });
});
