import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../src/metrics/compute-metrics.js";
import {
  coverageRecord,
  dryRunRecord,
  junkRecord,
  makeCandidate,
  makeDryRun,
  makeGolden,
  makeRunData,
  makeRunStart,
  makeThresholds,
  threeConversationRun,
  usefulnessRecord,
} from "./fixtures.js";

const { start, records } = threeConversationRun({ bench: { seed: 42, bootstrap_resamples: 1000 } });
const section = computeMetrics(makeRunData(start, records), makeThresholds());
const { baseline, candidate, delta } = section.metrics;

// The candidate timed out on c2: quality metrics and deltas cover the paired conversations c1 and c3.
describe("computeMetrics: per-config values over the paired conversations, rounded to 4 places", () => {
  it("precision and recall", () => {
    expect(baseline.precision).toMatchObject({ value: 0.6667, useful: 2, judged: 3 }); // c1 2/2, c3 0/1
    expect(candidate.precision).toMatchObject({ value: 1, useful: 3, judged: 3 }); // last c1 record 3/3; c3 judge error excluded
    expect(baseline.recall).toMatchObject({ value: 0.6667, covered: 2, golden: 3 }); // g1 g2 of g1 g2 g6
    expect(candidate.recall).toMatchObject({ value: 1, covered: 3, golden: 3 });
  });

  it("extraction per turn and per conversation", () => {
    expect(baseline.extraction).toMatchObject({ per_turn: 0.3333, per_conversation: 1.5 }); // 3/9, 3/2
    expect(candidate.extraction).toMatchObject({ per_turn: 0.5556, per_conversation: 2.5 }); // 5/9, 5/2
    expect(candidate.turns).toBe(9);
  });

  it("junk, confidence and operating rates", () => {
    expect(baseline.junk.rate).toBe(0.5); // 1/2
    expect(candidate.junk.rate).toBe(0.25); // 1/4
    expect(baseline.confidence.histogram.map((b) => b.share)).toEqual([0, 0.3333, 0.3333, 0.3333, 0]); // 0.3 0.6 0.8
    expect(baseline.confidence.mean).toBe(0.5667); // 1.7/3
    expect(baseline.confidence.median).toBe(0.6);
    expect(candidate.confidence.mean).toBe(0.81); // 4.05/5
    expect(baseline.operating.json_fail_rate).toBe(0.25); // 1/4 calls, every dry run
    expect(candidate.operating.json_fail_rate).toBe(0.3333); // 1/3 calls
    expect(baseline.operating.dedup_collapse_rate).toBe(0.1429); // 1/7
    expect(candidate.operating.dedup_collapse_rate).toBe(0.1667); // 1/6
    expect(baseline.operating.entity_resolution_fail_rate).toBe(0.1429); // 1 fallback of 7 mentions
    expect(candidate.operating.entity_resolution_fail_rate).toBe(0.2); // 1 fallback of 5
  });

  it("bootstrap intervals: the candidate's precision is 1 on every resample; the baseline's contains its value", () => {
    expect(candidate.precision.ci).toEqual([1, 1]);
    const [low, high] = baseline.precision.ci!;
    expect(low).toBeLessThanOrEqual(0.6667);
    expect(high).toBeGreaterThanOrEqual(0.6667);
    expect(delta.precision.ci).not.toBeNull();
    expect(delta.junk.ci).not.toBeNull();
    expect(delta.extraction_per_turn.ci).not.toBeNull();
  });

  it("is deterministic for the same log and seed", () => {
    expect(computeMetrics(makeRunData(start, records), makeThresholds())).toEqual(section);
  });
});

describe("computeMetrics: completeness and McNemar", () => {
  it("counts failed units per config and kind, and judge errors per task", () => {
    expect(section.completeness).toEqual({
      complete: true,
      conversations: 3,
      paired_conversations: 2,
      missing_dry_runs: 0,
      baseline: { attempted: 3, succeeded: 3, failed: 0, failed_rate: 0, failed_by_kind: {}, judge_errors: {} },
      candidate: {
        attempted: 3,
        succeeded: 2,
        failed: 1,
        failed_rate: 1 / 3,
        failed_by_kind: { timeout: 1 },
        judge_errors: { usefulness: 1 },
      },
    });
  });

  it("tests the golden memories covered by one config only", () => {
    // g6 (c3) is covered by the candidate only; g1 g2 by both: 0 vs 1 → p = 2 · P(X ≤ 0 | n = 1) = 1
    expect(section.mcnemar).toEqual({ baseline_only: 0, candidate_only: 1, p_value: 1 });
  });
});

describe("computeMetrics: deltas (candidate − baseline), fractions", () => {
  it("precision and recall", () => {
    expect(delta.precision.value).toBe(0.3333); // 1 − 2/3
    expect(delta.recall.value).toBe(0.3333); // 1 − 2/3
  });

  it("extractions per turn, relative", () => {
    // (5/9) / (3/9) − 1 = 2/3
    expect(delta.extraction_per_turn.value).toBe(0.6667);
  });

  it("junk and high-confidence share as differences of rates", () => {
    expect(delta.junk.value).toBe(-0.25); // 0.25 − 0.5
    expect(delta.confidence_high_share).toBe(0.4667); // 4/5 − 1/3
  });

  it("confidence mean, operating rates, and entity resolution over the paired conversations", () => {
    expect(delta.confidence_mean).toBe(0.2433); // 0.81 − 0.56667
    expect(delta.json_fail_rate).toBe(0.0833); // 1/3 − 1/4
    expect(delta.dedup_collapse_rate).toBe(0.0238); // 1/6 − 1/7
    // paired c1 c3: baseline 0 fallback of 3 mentions, candidate 1 of 5
    expect(delta.entity_resolution_fail_rate).toBe(0.2);
    expect(section.entities.baseline).toMatchObject({ mentions: 3, fallback: 0, fail_rate: 0 });
    expect(section.entities.candidate).toMatchObject({ mentions: 5, fallback: 1, fail_rate: 0.2 });
  });
});

describe("computeMetrics: vocabulary, types, pairing, flags", () => {
  it("compares predicate vocabularies with the renames seen on paired facts", () => {
    // baseline {works_at, lives_in, likes}, candidate {worksAt, lives_in, likes, plays}: 2 shared of 5 → 0.4
    expect(section.vocabulary).toEqual({
      top_k: 50,
      jaccard: 0.4,
      band: "significant",
      shared: ["likes", "lives_in"],
      only_baseline: ["works_at"],
      only_candidate: ["plays", "worksAt"],
      renames: [{ from: "works_at", to: "worksAt", count: 1 }],
      suggestions: [{ from: "worksAt", to: "works_at", reason: "spelling", reconciles: 1 }],
    });
  });

  it("pairs the same facts across configs", () => {
    // c1: Acme Corp [t1] and Berlin [t2]; c3: jazz [t2] → 3 pairs, one with a new predicate
    expect(section.pairing).toEqual({
      pairs: 3,
      by_evidence: 3,
      by_subject_object: 0,
      predicate_changed: 1,
      type_changed: 0,
      subject_text_changed: 0,
      subject_entity_changed: 0,
      subject_examples: [],
    });
  });

  it("type distribution and moves per type", () => {
    expect(section.types).toEqual({
      baseline: { fact: 2, preference: 1 },
      candidate: { fact: 3, preference: 2 },
      appeared: [],
      disappeared: [],
      moved: [],
      moved_by_type: [
        { type: "fact", pairs: 2, moved: 0, share: 0, to: [] },
        { type: "preference", pairs: 1, moved: 0, share: 0, to: [] },
      ],
    });
  });

  it("flags what crossed a threshold", () => {
    // extraction +66.7% > 40: yes; junk −25 pp: no; Jaccard 0.4: yes; high share +46.7 pp > 10: yes;
    // JSON 33.3% > 2%: yes; dedup +2.38 pp but < 50% of 14.29%: no; entity resolution +20 pp > 1 pp: yes
    expect(section.flags.map((f) => f.id)).toEqual([
      "extraction_count",
      "predicate_vocabulary",
      "confidence_shift",
      "json_fail_rate",
      "entity_resolution",
    ]);
  });
});

describe("computeMetrics: per-conversation results, missed memories, junk examples, errors", () => {
  it("summarizes each conversation", () => {
    expect(section.conversations).toEqual([
      {
        conversation_id: "c1",
        turns: 4,
        golden: 2,
        baseline: { candidates: 2, covered: 2, useful: 2 },
        candidate: { candidates: 3, covered: 2, useful: 3 },
      },
      {
        conversation_id: "c2",
        turns: 6,
        golden: 3,
        baseline: { candidates: 3, covered: 1, useful: 2 },
        candidate: { candidates: 0, covered: 0, useful: 0, error: "timeout: timed out after 30000 ms" },
      },
      {
        conversation_id: "c3",
        turns: 5,
        golden: 1,
        baseline: { candidates: 1, covered: 0, useful: 0 },
        candidate: { candidates: 2, covered: 1, useful: 0 },
      },
    ]);
  });

  it("lists missed golden memories and whether the other config covered them", () => {
    expect(section.missed.map((m) => [m.role, m.conversation_id, m.golden_id, m.covered_by_other])).toEqual([
      ["baseline", "c2", "g4", false],
      ["baseline", "c2", "g5", false],
      ["baseline", "c3", "g6", true], // the candidate covered g6
      ["candidate", "c2", "g3", true], // the baseline covered g3
      ["candidate", "c2", "g4", false],
      ["candidate", "c2", "g5", false],
    ]);
    expect(section.missed[0]!.text).toBe("Bob works at Globex");
  });

  it("lists junk examples with their candidate text", () => {
    expect(
      section.junk_examples.map((e) => [e.role, e.conversation_id, e.candidate_index, e.category, e.text]),
    ).toEqual([
      ["baseline", "c2", 2, "chit_chat", "Alice has a child, Sam"],
      ["baseline", "c3", 0, "over_broad", "Bob likes jazz"],
      ["candidate", "c1", 2, "about_assistant", "The assistant likes coffee"],
    ]);
  });

  it("lists dry-run and judge errors", () => {
    expect(section.errors).toEqual([
      {
        role: "candidate",
        conversation_id: "c2",
        stage: "dry_run",
        kind: "timeout",
        message: "timed out after 30000 ms",
      },
      {
        role: "candidate",
        conversation_id: "c3",
        stage: "judge",
        kind: "usefulness",
        message: "judge answer failed validation twice",
      },
    ]);
  });
});

describe("computeMetrics: deltas that cannot be measured", () => {
  const oneConversation = (baselineCandidates: number, candidateCandidates: number) => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 4 }] });
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => makeCandidate({ object: `o${i}`, evidence: [`t${i}`] }));
    return computeMetrics(
      makeRunData(start, [
        dryRunRecord("baseline", makeDryRun("a", many(baselineCandidates))),
        dryRunRecord("candidate", makeDryRun("a", many(candidateCandidates))),
        usefulnessRecord("baseline", "a", []),
        coverageRecord("baseline", "a", {}),
        junkRecord("baseline", "a", []),
      ]),
      makeThresholds(),
    ).metrics.delta;
  };

  it("extraction change from a baseline of 0 is undefined (null), and 0 when both are 0", () => {
    expect(oneConversation(0, 3).extraction_per_turn.value).toBeNull(); // 0 → 0.75 per turn: no finite relative change
    expect(oneConversation(0, 0).extraction_per_turn.value).toBe(0);
    expect(oneConversation(2, 3).extraction_per_turn.value).toBe(0.5); // 0.5 → 0.75 per turn = +50%
  });

  it("junk and precision deltas are null when a side has nothing judged", () => {
    const d = oneConversation(2, 3);
    expect(d.junk).toEqual({ value: null, ci: null, se: null }); // nothing judged for junk on either side
    expect(d.precision.value).toBeNull();
    expect(d.precision.ci).toBeNull();
  });
});

describe("computeMetrics: an incomplete run", () => {
  it("covers only the conversations both configs finished, and counts the missing dry runs", () => {
    const golden = ["g1", "g2", "g3", "g4"].map((id, i) => makeGolden(id, i < 2 ? "a" : "b"));
    const start = makeRunStart({
      conversations: [
        { id: "a", turns: 2 },
        { id: "b", turns: 2 },
      ],
      golden,
    });
    const run = makeRunData(start, [
      dryRunRecord("baseline", makeDryRun("a", [makeCandidate()])),
      dryRunRecord("baseline", makeDryRun("b", [makeCandidate()])),
      dryRunRecord("candidate", makeDryRun("a", [makeCandidate()])),
      coverageRecord("baseline", "a", { g1: true, g2: false }),
      coverageRecord("baseline", "b", { g3: true, g4: true }),
      coverageRecord("candidate", "a", { g1: true, g2: true }),
      // The run stopped before the candidate's conversation b: no run_end.
    ]);
    const section = computeMetrics({ ...run, end: undefined }, makeThresholds());
    expect(section.completeness).toMatchObject({ complete: false, paired_conversations: 1, missing_dry_runs: 1 });
    // Recall divides by the golden memories of the conversations covered: a only, on both sides.
    expect(section.metrics.baseline.recall).toMatchObject({ value: 0.5, covered: 1, golden: 2 });
    expect(section.metrics.candidate.recall).toMatchObject({ value: 1, covered: 2, golden: 2 });
  });
});
