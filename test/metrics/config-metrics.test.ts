import { describe, expect, it } from "vitest";
import { computeConfigMetrics } from "../../src/metrics/config-metrics.js";
import { pairedConversations } from "../../src/metrics/completeness.js";
import { junkCounts, pairedSlots } from "../../src/metrics/compute-metrics.js";
import type { RunData } from "../../src/metrics/run-data.js";
import type { ConfigRole } from "../../src/schema/run-log.js";
import {
  makeCandidate,
  makeDryRun,
  makeRunData,
  makeRunStart,
  threeConversationRun,
  coverageRecord,
  dryRunRecord,
  usefulnessRecord,
  junkRecord,
} from "./fixtures.js";

const EDGES = [0, 0.3, 0.5, 0.7, 0.85, 1];

function metricsOf(run: RunData, role: ConfigRole) {
  return computeConfigMetrics(run.sides[role], junkCounts(run, pairedSlots(run), role), 50, EDGES);
}

// The candidate timed out on c2: c1 and c3 are the paired conversations every quality metric covers.
const { start, records } = threeConversationRun();
const run = makeRunData(start, records);
const baseline = metricsOf(run, "baseline");
const candidate = metricsOf(run, "candidate");

describe("pairedConversations", () => {
  it("are the conversations where both configs produced a result", () => {
    expect(pairedConversations(run)).toEqual(["c1", "c3"]);
  });
});

describe("computeConfigMetrics: baseline of the three-conversation run, over c1 and c3", () => {
  it("counts conversations, turns and candidates of the paired conversations", () => {
    expect(baseline.conversations).toBe(2);
    expect(baseline.turns).toBe(9); // 4 + 5
    expect(baseline.candidates).toBe(3); // 2 + 1
  });

  it("precision = useful / judged", () => {
    // c1 2 of 2, c3 0 of 1 → 2 useful of 3 judged
    expect(baseline.precision).toEqual({ value: 2 / 3, useful: 2, judged: 3 });
  });

  it("recall = covered / golden of the conversations covered", () => {
    // c1 g1 g2 covered, c3 g6 not → 2 of 3; c2's memories are outside the paired set
    expect(baseline.recall).toEqual({ value: 2 / 3, covered: 2, golden: 3 });
  });

  it("extractions per turn and per conversation", () => {
    expect(baseline.extraction.per_turn).toBeCloseTo(3 / 9, 12);
    expect(baseline.extraction.per_conversation).toBe(1.5);
  });

  it("junk rate over the judged candidates, with categories", () => {
    // c1 [0] not junk, c3 [0] over_broad → 1 of 2, on 2 conversations
    expect(baseline.junk).toEqual({ rate: 0.5, junk: 1, judged: 2, conversations: 2, by_category: { over_broad: 1 } });
  });

  it("confidence histogram, mean, median and high share", () => {
    // confidences 0.8 0.6 | 0.3 → [.3,.5): 0.3 ; [.5,.7): 0.6 ; [.7,.85): 0.8
    expect(baseline.confidence.histogram.map((b) => b.count)).toEqual([0, 1, 1, 1, 0]);
    expect(baseline.confidence.mean).toBeCloseTo(1.7 / 3, 12);
    expect(baseline.confidence.median).toBe(0.6);
    expect(baseline.confidence.high_share).toBeCloseTo(1 / 3, 12);
  });

  it("types and predicates", () => {
    expect(baseline.types).toEqual({ fact: 2, preference: 1 });
    expect(baseline.predicates).toEqual({
      distinct: 3,
      top: [
        { predicate: "likes", count: 1 },
        { predicate: "lives_in", count: 1 },
        { predicate: "works_at", count: 1 },
      ],
    });
  });

  it("operating metrics cover every dry run the config logged", () => {
    expect(baseline.operating).toEqual({
      extract_calls: 4, // 1 + 2 + 1
      json_failures: 1,
      json_fail_rate: 0.25, // 1 / 4 calls
      answer_failures: {},
      repairs: {},
      dropped: {},
      extracted: 7, // 2 + 4 + 1
      deduped: 1,
      dedup_collapse_rate: 1 / 7, // 1 deduped / 7 extracted
      resolved_by_stage: { exact: 5, alias: 1, fuzzy: 0, fallback: 1 },
      entity_resolution_fail_rate: 1 / 7, // 1 fallback / (5 + 1 + 0 + 1) mentions
      prefiltered_turns: 3, // 1 + 2 + 0
      latency_p50_ms: 200, // 100 200 300 → rank ceil(1.5) = 2
      latency_p95_ms: 300, // rank ceil(2.85) = 3
      input_tokens: 350, // 100 + 200 + 50
      output_tokens: 70, // 20 + 40 + 10
    });
  });
});

describe("computeConfigMetrics: candidate, with a failed dry run and a judge error", () => {
  it("leaves the failed conversation out of every quality metric", () => {
    expect(candidate.conversations).toBe(2);
    expect(candidate.turns).toBe(9); // c1 4 + c3 5
    expect(candidate.candidates).toBe(5); // 3 + 2
    expect(candidate.extraction.per_turn).toBeCloseTo(5 / 9, 12);
    expect(candidate.extraction.per_conversation).toBe(2.5);
  });

  it("takes the first usefulness record of c1 and leaves the errored c3 verdict out of precision", () => {
    // c1 logged [yes, yes, yes] then [no, no, no] → the first record of a finished unit counts: 3 of 3; c3 judge error, excluded
    expect(candidate.precision).toEqual({ value: 1, useful: 3, judged: 3 });
  });

  it("recall over the conversations the candidate covered", () => {
    expect(candidate.recall).toEqual({ value: 1, covered: 3, golden: 3 });
  });

  it("junk rate", () => {
    // c1 [0, 2], c3 [0, 1]: only c1#2 (about the assistant) is junk → 1/4
    expect(candidate.junk).toEqual({
      rate: 0.25,
      junk: 1,
      judged: 4,
      conversations: 2,
      by_category: { about_assistant: 1 },
    });
  });

  it("confidence", () => {
    // 0.9 0.85 0.75 | 0.95 0.6
    expect(candidate.confidence.histogram.map((b) => b.count)).toEqual([0, 0, 1, 1, 3]);
    expect(candidate.confidence.histogram.map((b) => b.share)).toEqual([0, 0, 0.2, 0.2, 0.6]);
    expect(candidate.confidence.mean).toBeCloseTo(0.81, 12);
    expect(candidate.confidence.median).toBe(0.85);
    expect(candidate.confidence.high_share).toBe(0.8);
  });

  it("operating metrics include the failed call", () => {
    const op = candidate.operating;
    expect(op.extract_calls).toBe(3);
    expect(op.json_failures).toBe(1);
    expect(op.json_fail_rate).toBeCloseTo(1 / 3, 12);
    expect(op.extracted).toBe(6);
    expect(op.dedup_collapse_rate).toBeCloseTo(1 / 6, 12);
    expect(op.resolved_by_stage).toEqual({ exact: 3, alias: 0, fuzzy: 1, fallback: 1 });
    expect(op.entity_resolution_fail_rate).toBe(0.2);
    expect(op.latency_p50_ms).toBe(250);
    expect(op.latency_p95_ms).toBe(1000);
  });

  it("types and predicates", () => {
    expect(candidate.types).toEqual({ fact: 3, preference: 2 });
    expect(candidate.predicates.top.map((p) => `${p.predicate}:${p.count}`)).toEqual([
      "likes:2",
      "lives_in:1",
      "plays:1",
      "worksAt:1",
    ]);
  });
});

describe("computeConfigMetrics: edge cases", () => {
  it("judge errors are excluded from the metric they would have fed", () => {
    const start = makeRunStart({
      conversations: [
        { id: "a", turns: 2 },
        { id: "b", turns: 2 },
      ],
      golden: [],
    });
    const run = makeRunData(start, [
      dryRunRecord("baseline", makeDryRun("a", [makeCandidate()])),
      dryRunRecord("baseline", makeDryRun("b", [makeCandidate()])),
      dryRunRecord("candidate", makeDryRun("a", [])),
      dryRunRecord("candidate", makeDryRun("b", [])),
      coverageRecord("baseline", "a", { g1: true, g2: false }),
      coverageRecord("baseline", "b", {}, "judge timed out"),
      junkRecord("baseline", "a", [], "junk judge failed"),
      usefulnessRecord("baseline", "a", [true]),
    ]);
    const m = metricsOf(run, "baseline");
    expect(m.recall).toEqual({ value: 0.5, covered: 1, golden: 2 }); // b's judge error is not a miss
    expect(m.junk).toEqual({ rate: null, junk: 0, judged: 0, conversations: 0, by_category: {} });
    expect(m.precision).toEqual({ value: 1, useful: 1, judged: 1 });
  });

  it("is null, not zero, where nothing was measured", () => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 3 }] });
    const run = makeRunData(start, [
      dryRunRecord(
        "baseline",
        makeDryRun("a", [], { counts: { extract_calls: 0 }, error: { kind: "command_failed", message: "exit 1" } }),
      ),
    ]);
    const m = metricsOf(run, "baseline");
    expect(m.conversations).toBe(0);
    expect(m.turns).toBe(0);
    expect(m.extraction).toEqual({ per_turn: null, per_conversation: null });
    expect(m.precision.value).toBeNull();
    expect(m.recall.value).toBeNull();
    expect(m.operating.json_fail_rate).toBeNull(); // 0 calls
    expect(m.operating.dedup_collapse_rate).toBeNull(); // 0 extracted
    expect(m.operating.entity_resolution_fail_rate).toBeNull(); // 0 mentions
    expect(m.confidence.high_share).toBeNull();
  });
});

describe("computeConfigMetrics: partial coverage", () => {
  const start = makeRunStart({ conversations: [{ id: "a", turns: 2 }] });
  const modelCoverage = (role: ConfigRole, scores: Record<string, 0 | 1 | 2>) => ({
    kind: "judgement" as const,
    task: "coverage" as const,
    role,
    conversation_id: "a",
    judge: "llm",
    items: Object.entries(scores).map(([golden_id, score]) => ({
      golden_id,
      covered: score === 2,
      candidate_indexes: score > 0 ? [0] : [],
      score: score / 2,
      method: "llm" as const,
      ...(score === 1 ? { partial: true } : {}),
    })),
    missed_evidence: {},
  });
  const dryRuns = (["baseline", "candidate"] as const).map((role) =>
    dryRunRecord(role, makeDryRun("a", [makeCandidate()])),
  );

  it("counts a model's score 1 as partial, apart from recall, which counts full coverage only", () => {
    const scored = makeRunData(start, [
      ...dryRuns,
      modelCoverage("baseline", { g1: 2, g2: 1, g3: 0 }),
      modelCoverage("candidate", { g1: 1, g2: 1, g3: 1 }),
    ]);
    expect(metricsOf(scored, "baseline").recall).toEqual({ value: 1 / 3, covered: 1, golden: 3, partial: 1 });
    expect(metricsOf(scored, "candidate").recall).toEqual({ value: 0, covered: 0, golden: 3, partial: 3 });
  });

  it("says nothing of partial coverage when no model judged it (a cheap match has no partial verdict)", () => {
    const matched = makeRunData(start, [
      ...dryRuns,
      coverageRecord("baseline", "a", { g1: true }),
      coverageRecord("candidate", "a", { g1: false }),
    ]);
    expect(metricsOf(matched, "baseline").recall).not.toHaveProperty("partial");
  });
});
