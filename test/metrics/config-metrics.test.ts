import { describe, expect, it } from "vitest";
import { allCandidates, computeConfigMetrics } from "../../src/metrics/config-metrics.js";
import type { RunData } from "../../src/metrics/run-data.js";
import type { ConfigRole } from "../../src/schema/run-log.js";
import { makeCandidate, makeDryRun, makeRunData, makeRunStart, threeConversationRun, coverageRecord, dryRunRecord, usefulnessRecord, junkRecord } from "./fixtures.js";

const EDGES = [0, 0.3, 0.5, 0.7, 0.85, 1];

function metricsOf(run: RunData, role: ConfigRole) {
  const ids = run.start.dataset.conversations.map((c) => c.id);
  const golden = new Map<string, number>();
  for (const m of run.start.golden.memories) golden.set(m.conversation_id, (golden.get(m.conversation_id) ?? 0) + 1);
  return computeConfigMetrics({
    conversationIds: ids,
    turnsByConversation: new Map(run.start.dataset.conversations.map((c) => [c.id, c.turns])),
    goldenByConversation: golden,
    data: run.roles[role],
    topK: 50,
    buckets: EDGES,
  });
}

const { start, records } = threeConversationRun();
const run = makeRunData(start, records);
const baseline = metricsOf(run, "baseline");
const candidate = metricsOf(run, "candidate");

describe("computeConfigMetrics: baseline of the three-conversation run", () => {
  it("counts conversations, turns and candidates", () => {
    expect(baseline.conversations).toBe(3);
    expect(baseline.conversations_failed).toBe(0);
    expect(baseline.turns).toBe(15); // 4 + 6 + 5
    expect(baseline.candidates).toBe(6); // 2 + 3 + 1
  });

  it("precision = useful / judged", () => {
    // c1 2 of 2, c2 2 of 3, c3 0 of 1 → 4 useful of 6 judged
    expect(baseline.precision).toEqual({ value: 4 / 6, useful: 4, judged: 6 });
  });

  it("recall = covered / golden", () => {
    // c1 g1 g2 covered, c2 g3 covered of 3, c3 g6 not → 3 of 6 = 0.5
    expect(baseline.recall).toEqual({ value: 0.5, covered: 3, golden: 6 });
  });

  it("extractions per turn and per conversation", () => {
    expect(baseline.extraction.per_turn).toBe(0.4); // 6 candidates / 15 turns
    expect(baseline.extraction.per_conversation).toBe(2); // 6 / 3 conversations
  });

  it("junk rate over the judged sample, with categories", () => {
    // sample c1 [0], c2 [1, 2], c3 [0]: 4 sampled, c2#2 chit_chat and c3#0 over_broad are junk → 2/4
    expect(baseline.junk).toEqual({ rate: 0.5, junk: 2, sampled: 4, by_category: { chit_chat: 1, over_broad: 1 } });
  });

  it("confidence histogram, mean, median and high share", () => {
    // confidences 0.8 0.6 | 0.9 0.7 0.5 | 0.3
    // [0,.3): – ; [.3,.5): 0.3 ; [.5,.7): 0.6 0.5 ; [.7,.85): 0.8 0.7 ; [.85,1]: 0.9
    expect(baseline.confidence.histogram.map((b) => b.count)).toEqual([0, 1, 2, 2, 1]);
    expect(baseline.confidence.mean).toBeCloseTo(3.8 / 6, 12); // (0.8+0.6+0.9+0.7+0.5+0.3) / 6
    expect(baseline.confidence.median).toBeCloseTo(0.65, 12); // 0.3 0.5 0.6 | 0.7 0.8 0.9 → (0.6 + 0.7) / 2
    expect(baseline.confidence.high_share).toBe(0.5); // 0.8 0.9 0.7 are ≥ 0.7 → 3/6
  });

  it("types and predicates", () => {
    expect(baseline.types).toEqual({ fact: 3, preference: 2, relation: 1 });
    expect(baseline.predicates).toEqual({
      distinct: 4,
      top: [
        { predicate: "likes", count: 2 },
        { predicate: "works_at", count: 2 },
        { predicate: "has_child", count: 1 },
        { predicate: "lives_in", count: 1 },
      ],
    });
  });

  it("operating metrics", () => {
    expect(baseline.operating).toEqual({
      extract_calls: 4, // 1 + 2 + 1
      json_failures: 1,
      json_fail_rate: 0.25, // 1 / 4 calls
      extracted: 7, // 2 + 4 + 1
      deduped: 1,
      dedup_collapse_rate: 1 / 7, // 1 deduped / 7 extracted
      resolved_by_stage: { exact: 5, alias: 1, fuzzy: 0, fallback: 1 },
      entity_resolution_fail_rate: 1 / 7, // 1 fallback / (5 + 1 + 0 + 1) resolutions
      prefiltered_turns: 3, // 1 + 2 + 0
      latency_p50_ms: 200, // 100 200 300 → rank ceil(1.5) = 2
      latency_p95_ms: 300, // rank ceil(2.85) = 3
      input_tokens: 350, // 100 + 200 + 50
      output_tokens: 70, // 20 + 40 + 10
      sample_errors: 0,
      judge_errors: 0,
    });
  });
});

describe("computeConfigMetrics: candidate, with a failed dry run and a judge error", () => {
  it("counts the failed conversation and leaves its turns out of the per-turn denominator", () => {
    expect(candidate.conversations).toBe(3);
    expect(candidate.conversations_failed).toBe(1); // c2 timed out
    expect(candidate.operating.sample_errors).toBe(1);
    expect(candidate.turns).toBe(9); // c1 4 + c3 5; c2's 6 turns are not processed turns
    expect(candidate.candidates).toBe(5); // 3 + 0 + 2
    expect(candidate.extraction.per_turn).toBeCloseTo(5 / 9, 12); // 5 candidates / 9 turns
    expect(candidate.extraction.per_conversation).toBe(2.5); // 5 / 2 successful conversations
  });

  it("takes the last usefulness record of c1 and leaves the errored c3 verdict out of precision", () => {
    // c1 logged [no, no, no] then [yes, yes, yes] → the later one: 3 of 3; c2 0 of 0; c3 judge error, excluded
    expect(candidate.precision).toEqual({ value: 1, useful: 3, judged: 3 });
    expect(candidate.operating.judge_errors).toBe(1);
  });

  it("recall counts the failed conversation's golden memories as missed", () => {
    // g1 g2 (c1) and g6 (c3) covered; g3 g4 g5 of the failed c2 not → 3 of 6
    expect(candidate.recall).toEqual({ value: 0.5, covered: 3, golden: 6 });
  });

  it("junk rate", () => {
    // sample c1 [0, 2], c3 [0, 1]: only c1#2 (about the assistant) is junk → 1/4
    expect(candidate.junk).toEqual({ rate: 0.25, junk: 1, sampled: 4, by_category: { about_assistant: 1 } });
  });

  it("confidence", () => {
    // 0.9 0.85 0.75 | 0.95 0.6
    expect(candidate.confidence.histogram.map((b) => b.count)).toEqual([0, 0, 1, 1, 3]);
    expect(candidate.confidence.histogram.map((b) => b.share)).toEqual([0, 0, 0.2, 0.2, 0.6]); // of 5
    expect(candidate.confidence.mean).toBeCloseTo(0.81, 12); // 4.05 / 5
    expect(candidate.confidence.median).toBe(0.85); // 0.6 0.75 0.85 0.9 0.95
    expect(candidate.confidence.high_share).toBe(0.8); // 4 of 5 at ≥ 0.7
  });

  it("operating metrics include the failed call", () => {
    const op = candidate.operating;
    expect(op.extract_calls).toBe(3); // 1 + 1 + 1
    expect(op.json_failures).toBe(1); // in the failed c2
    expect(op.json_fail_rate).toBeCloseTo(1 / 3, 12); // 1 / 3
    expect(op.extracted).toBe(6); // 3 + 0 + 3
    expect(op.dedup_collapse_rate).toBeCloseTo(1 / 6, 12); // 1 / 6
    expect(op.resolved_by_stage).toEqual({ exact: 3, alias: 0, fuzzy: 1, fallback: 1 });
    expect(op.entity_resolution_fail_rate).toBe(0.2); // 1 fallback of 5
    expect(op.latency_p50_ms).toBe(250); // 150 250 1000 → rank 2
    expect(op.latency_p95_ms).toBe(1000);
  });

  it("types and predicates", () => {
    expect(candidate.types).toEqual({ fact: 3, preference: 2 });
    expect(candidate.predicates.top.map((p) => `${p.predicate}:${p.count}`)).toEqual(["likes:2", "lives_in:1", "plays:1", "worksAt:1"]);
  });
});

describe("computeConfigMetrics: edge cases", () => {
  it("coverage judge errors are excluded from recall and counted; a missing coverage record counts its golden memories as missed", () => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 2 }, { id: "b", turns: 2 }, { id: "c", turns: 2 }], golden: [] });
    const golden = new Map([["a", 2], ["b", 3], ["c", 4]]);
    const run = makeRunData(start, [
      dryRunRecord("baseline", makeDryRun("a", [makeCandidate()])),
      dryRunRecord("baseline", makeDryRun("b", [makeCandidate()])),
      coverageRecord("baseline", "a", { g1: true, g2: false }),
      coverageRecord("baseline", "b", {}, "judge timed out"),
      junkRecord("baseline", "a", [], "junk judge failed"),
      usefulnessRecord("baseline", "a", [true]),
    ]);
    const m = computeConfigMetrics({
      conversationIds: ["a", "b", "c"],
      turnsByConversation: new Map([["a", 2], ["b", 2], ["c", 2]]),
      goldenByConversation: golden,
      data: run.roles.baseline,
      topK: 50,
      buckets: EDGES,
    });
    // a: 1 of 2; b: judge error, excluded; c: not judged at all → its 4 golden memories are missed
    expect(m.recall).toEqual({ value: 1 / 6, covered: 1, golden: 6 });
    expect(m.operating.judge_errors).toBe(2); // b's coverage, a's junk
    expect(m.junk).toEqual({ rate: null, junk: 0, sampled: 0, by_category: {} });
    expect(m.precision).toEqual({ value: 1, useful: 1, judged: 1 });
    expect(m.conversations).toBe(2); // c has no dry run
  });

  it("is null, not zero, where nothing was measured", () => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 3 }] });
    const run = makeRunData(start, [
      dryRunRecord("baseline", makeDryRun("a", [], { counts: { extract_calls: 0 }, error: { kind: "command_failed", message: "exit 1" } })),
    ]);
    const m = metricsOf(run, "baseline");
    expect(m.turns).toBe(0);
    expect(m.extraction).toEqual({ per_turn: null, per_conversation: null }); // 0 processed turns, 0 successful runs
    expect(m.precision.value).toBeNull();
    expect(m.recall.value).toBeNull();
    expect(m.operating.json_fail_rate).toBeNull(); // 0 calls
    expect(m.operating.dedup_collapse_rate).toBeNull(); // 0 extracted
    expect(m.operating.entity_resolution_fail_rate).toBeNull(); // 0 resolutions
    expect(m.confidence.high_share).toBeNull();
  });

  it("allCandidates follows dataset order", () => {
    expect(allCandidates(["c3", "c1"], run.roles.baseline).map((c) => c.object)).toEqual(["jazz", "Acme Corp", "Berlin"]);
  });
});
