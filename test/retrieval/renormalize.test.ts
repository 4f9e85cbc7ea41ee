import { describe, expect, it } from "vitest";
import type { SimQuery } from "../../src/retrieval/queries.js";
import { createBm25Retriever } from "../../src/retrieval/retrievers/bm25.js";
import { simulateScope, type ScopeData, type SimulationOptions } from "../../src/retrieval/simulate.js";
import { MemoryTable } from "../../src/retrieval/memory-table.js";
import { renormalized } from "../../src/run/merge-retrieval.js";
import type { Candidate } from "../../src/schema/candidate.js";
import { DEFAULT_RETRIEVER } from "../../src/schema/retrieval-settings.js";

/**
 * A scope whose coexist_normalized store answers differently under two normalizations: measured
 * again for the baseline and that strategy only, under the whole run's, a shard's record becomes
 * the record one run of the whole dataset makes.
 */

const SCOPE = "user:ada";

function candidate(text: string, predicate: string, object: string, confidence: number, turn: string): Candidate {
  return {
    text,
    type: "fact",
    subject: "Ada",
    predicate,
    raw_predicate: predicate,
    object,
    confidence,
    evidence: [turn],
    entities: [],
  } as unknown as Candidate;
}

/** Four conversations in time order; the baseline says `works_at`, the candidate `worksAt`. */
function scope(): ScopeData {
  const facts = ["Acme", "Globex", "Initech", "Umbrella"];
  const table = new MemoryTable(SCOPE);
  const conversations = facts.map((object, position) => {
    const id = `c${position}`;
    const text = `Ada works at ${object}`;
    const rows = {
      baseline: table.add([candidate(text, "works_at", object, 0.6, "t1")], "baseline", id),
      candidate: table.add([candidate(text, "worksAt", object, 0.95, "t1")], "candidate", id),
    };
    for (const [start, end] of [rows.baseline, rows.candidate])
      for (let row = start; row < end; row++) table.addCover(row, `g${position}`);
    return { id, position, rows };
  });
  const queries: SimQuery[] = facts.map((object, position) => ({
    id: `g${position}#lookup`,
    scope: SCOPE,
    text: `Ada works at ${object}`,
    kind: "lookup",
    golden: [`g${position}`],
    turns: [],
    filters: { predicate: "works_at", subject: "Ada" },
  }));
  return { scope: SCOPE, position: 0, table, conversations, queries };
}

function options(mappings: Array<{ from: string; to: string }>, factor: number | null): SimulationOptions {
  return {
    k: 5,
    coexistShare: 0.5,
    sweep: [0.25, 0.75],
    rolloutPercent: 10,
    seed: 42,
    normalization: { mappings: new Map(mappings.map((m) => [m.from, m.to])), factor },
    mappingList: mappings,
  };
}

const WHOLE_RUN = options([{ from: "worksAt", to: "works_at" }], 0.65);
const A_SHARD = options([], 0.5);

describe("a shard's retrieval record measured again under the whole run's normalization", () => {
  it("measures only the strategies asked for, and no sweep", async () => {
    const retriever = await createBm25Retriever(DEFAULT_RETRIEVER);
    const full = await simulateScope(scope(), WHOLE_RUN, retriever);
    const only = new Set(["baseline", "coexist_normalized"] as const);
    const partial = await simulateScope(scope(), { ...WHOLE_RUN, only }, retriever);
    expect(Object.keys(partial.strategies)).toEqual(["baseline", "coexist_normalized"]);
    expect(partial.sweep).toBeUndefined();
    expect(partial.strategies.coexist_normalized).toEqual(full.strategies.coexist_normalized);
    expect(partial.examples).toEqual(full.examples.filter((e) => e.strategy === "coexist_normalized"));
  });

  it("equals the whole run's record once coexist_normalized is measured again", async () => {
    const retriever = await createBm25Retriever(DEFAULT_RETRIEVER);
    const whole = await simulateScope(scope(), WHOLE_RUN, retriever);
    const shard = await simulateScope(scope(), A_SHARD, retriever);
    // The two normalizations answer differently: the shard's leaves the candidate's predicate unmapped.
    expect(shard.strategies.coexist_normalized!.answerable).toBeLessThan(
      whole.strategies.coexist_normalized!.answerable,
    );
    expect(shard.examples.some((e) => e.strategy === "coexist_normalized")).toBe(true);
    expect(shard.strategies.coexist).toEqual(whole.strategies.coexist);
    const measured = await simulateScope(
      scope(),
      { ...WHOLE_RUN, only: new Set(["baseline", "coexist_normalized"]) },
      retriever,
    );
    expect(renormalized(shard, measured)).toEqual(whole);
    // The shard's record is left as it was.
    expect(shard.normalization.factor).toBe(0.5);
  });

  it("keeps the first failed search in the order the strategies are measured", () => {
    const base = {
      kind: "retrieval" as const,
      scope: SCOPE,
      position: 0,
      retriever: "bm25",
      conversations: 1,
      from_candidate: {},
      strategies: {},
      examples: [],
    };
    const shard = { ...base, normalization: { mappings: [], factor: 0.5 } };
    const measured = { ...base, normalization: { mappings: [], factor: 0.65 } };
    const failure = (where: string) => `${where}: query q1: timed out`;
    // A failure before coexist_normalized stands; one of coexist_normalized is replaced by its new measurement.
    expect(renormalized({ ...shard, failure: failure("coexist") }, measured).failure).toBe(failure("coexist"));
    expect(renormalized({ ...shard, failure: failure("coexist_normalized") }, measured).failure).toBeUndefined();
    expect(
      renormalized(
        { ...shard, failure: failure("progressive") },
        { ...measured, failure: failure("coexist_normalized") },
      ).failure,
    ).toBe(failure("coexist_normalized"));
    expect(renormalized({ ...shard, failure: failure("coexist@0.25") }, measured).failure).toBe(
      failure("coexist@0.25"),
    );
  });
});
