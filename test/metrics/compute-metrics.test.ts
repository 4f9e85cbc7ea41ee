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

describe("computeMetrics: per-config values, rounded to 4 places", () => {
  it("precision and recall", () => {
    expect(baseline.precision).toMatchObject({ value: 0.6667, useful: 4, judged: 6 }); // 4/6 = 0.66666…
    expect(candidate.precision).toMatchObject({ value: 1, useful: 3, judged: 3 }); // last c1 record 3/3; c3 judge error excluded
    expect(baseline.recall).toMatchObject({ value: 0.5, covered: 3, golden: 6 }); // 3/6
    expect(candidate.recall).toMatchObject({ value: 0.5, covered: 3, golden: 6 }); // 3/6
  });

  it("extraction per turn and per conversation, the failed run left out of the denominators", () => {
    expect(baseline.extraction).toEqual({ per_turn: 0.4, per_conversation: 2 }); // 6/15, 6/3
    expect(candidate.extraction).toEqual({ per_turn: 0.5556, per_conversation: 2.5 }); // 5/9 = 0.5555…, 5/2
    expect(candidate.conversations_failed).toBe(1);
    expect(candidate.turns).toBe(9);
  });

  it("junk, confidence and operating rates", () => {
    expect(baseline.junk.rate).toBe(0.5); // 2/4
    expect(candidate.junk.rate).toBe(0.25); // 1/4
    expect(baseline.confidence.histogram.map((b) => b.share)).toEqual([0, 0.1667, 0.3333, 0.3333, 0.1667]); // 0 1 2 2 1 of 6
    expect(baseline.confidence.mean).toBe(0.6333); // 3.8/6
    expect(baseline.confidence.median).toBe(0.65);
    expect(candidate.confidence.mean).toBe(0.81); // 4.05/5
    expect(baseline.operating.json_fail_rate).toBe(0.25); // 1/4 calls
    expect(candidate.operating.json_fail_rate).toBe(0.3333); // 1/3 calls
    expect(baseline.operating.dedup_collapse_rate).toBe(0.1429); // 1/7
    expect(candidate.operating.dedup_collapse_rate).toBe(0.1667); // 1/6
    expect(baseline.operating.entity_resolution_fail_rate).toBe(0.1429); // 1 fallback of 7
    expect(candidate.operating.entity_resolution_fail_rate).toBe(0.2); // 1 fallback of 5
    expect(candidate.operating.judge_errors).toBe(1);
    expect(baseline.operating.judge_errors).toBe(0);
  });

  it("bootstrap intervals: the candidate's precision is 1 on every resample; the baseline's contains its value", () => {
    expect(candidate.precision.ci).toEqual([1, 1]); // every judged candidate verdict is useful
    const [low, high] = baseline.precision.ci!;
    expect(low).toBeLessThanOrEqual(0.6667);
    expect(high).toBeGreaterThanOrEqual(0.6667);
    expect(delta.precision.ci).not.toBeNull();
  });

  it("is deterministic for the same log and seed", () => {
    expect(computeMetrics(makeRunData(start, records), makeThresholds())).toEqual(section);
  });
});

describe("computeMetrics: deltas (candidate − baseline)", () => {
  it("precision and recall", () => {
    expect(delta.precision.value).toBe(0.3333); // 1 − 4/6 = 1/3
    expect(delta.recall.value).toBe(0); // 0.5 − 0.5
  });

  it("extractions per turn, relative, in percent", () => {
    // (5/9) / (6/15) − 1 = 75/54 − 1 = 21/54 = 0.38888… → 38.89%
    expect(delta.extraction_per_turn_pct).toBe(38.89);
  });

  it("junk and high-confidence share in percentage points", () => {
    expect(delta.junk_pp).toBe(-25); // (0.25 − 0.5) × 100
    expect(delta.confidence_high_share_pp).toBe(30); // (4/5 − 3/6) × 100 = (0.8 − 0.5) × 100
  });

  it("confidence mean and operating rates", () => {
    expect(delta.confidence_mean).toBe(0.1767); // 0.81 − 0.63333… = 0.17666…
    expect(delta.json_fail_rate).toBe(0.0833); // 1/3 − 1/4 = 1/12 = 0.08333…
    expect(delta.dedup_collapse_rate).toBe(0.0238); // 1/6 − 1/7 = 1/42 = 0.02380…
    expect(delta.entity_resolution_fail_rate).toBe(0.0571); // 1/5 − 1/7 = 2/35 = 0.05714…
  });
});

describe("computeMetrics: vocabulary, types, pairing, flags", () => {
  it("compares predicate vocabularies with the renames seen on paired facts", () => {
    // baseline {works_at, lives_in, likes, has_child}, candidate {worksAt, lives_in, likes, plays}: 2 shared of 6 → 0.3333
    expect(section.vocabulary).toEqual({
      top_k: 50,
      jaccard: 0.3333,
      band: "significant",
      shared: ["likes", "lives_in"],
      only_baseline: ["has_child", "works_at"],
      only_candidate: ["plays", "worksAt"],
      renames: [{ from: "works_at", to: "worksAt", count: 1 }],
    });
  });

  it("pairs the same facts across configs", () => {
    // c1: Acme Corp [t1] and Berlin [t2]; c3: jazz [t2] → 3 pairs, one with a new predicate
    expect(section.pairing).toEqual({ pairs: 3, predicate_changed: 1, type_changed: 0, subject_changed: 0, subject_examples: [] });
  });

  it("type distribution: a single relation is too few to count as a disappeared type", () => {
    expect(section.types).toEqual({
      baseline: { fact: 3, preference: 2, relation: 1 },
      candidate: { fact: 3, preference: 2 },
      appeared: [],
      disappeared: [], // relation: 1 < MIN_TYPE_COUNT 2
      moved: [],
    });
  });

  it("flags what crossed a threshold", () => {
    // extraction +38.89% ≤ 40: no; junk −25 pp: no; Jaccard 0.33: yes; high share +30 pp > 10: yes;
    // JSON 33.3% > 2%: yes; dedup +2.38 pp but < 50% of 14.29%: no; fallback 20% > 1%: yes
    expect(section.flags.map((f) => f.id)).toEqual(["predicate_vocabulary", "confidence_shift", "json_fail_rate", "entity_resolution"]);
  });
});

describe("computeMetrics: per-conversation results, missed memories, junk examples, errors", () => {
  it("summarizes each conversation", () => {
    expect(section.conversations).toEqual([
      { conversation_id: "c1", turns: 4, golden: 2, baseline: { candidates: 2, covered: 2, useful: 2 }, candidate: { candidates: 3, covered: 2, useful: 3 } },
      {
        conversation_id: "c2",
        turns: 6,
        golden: 3,
        baseline: { candidates: 3, covered: 1, useful: 2 },
        candidate: { candidates: 0, covered: 0, useful: 0, error: "timeout: timed out after 30000 ms" },
      },
      { conversation_id: "c3", turns: 5, golden: 1, baseline: { candidates: 1, covered: 0, useful: 0 }, candidate: { candidates: 2, covered: 1, useful: 0 } },
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
    expect(section.junk_examples.map((e) => [e.role, e.conversation_id, e.candidate_index, e.category, e.text])).toEqual([
      ["baseline", "c2", 2, "chit_chat", "Alice has a child, Sam"],
      ["baseline", "c3", 0, "over_broad", "Bob likes jazz"],
      ["candidate", "c1", 2, "about_assistant", "The assistant likes coffee"],
    ]);
  });

  it("lists dry-run and judge errors", () => {
    expect(section.errors).toEqual([
      { role: "candidate", conversation_id: "c2", stage: "dry_run", kind: "timeout", message: "timed out after 30000 ms" },
      { role: "candidate", conversation_id: "c3", stage: "judge", kind: "usefulness", message: "judge answer failed validation twice" },
    ]);
  });
});

describe("computeMetrics: deltas that cannot be measured", () => {
  const oneConversation = (baselineCandidates: number, candidateCandidates: number) => {
    const start = makeRunStart({ conversations: [{ id: "a", turns: 4 }] });
    const many = (n: number) => Array.from({ length: n }, (_, i) => makeCandidate({ object: `o${i}`, evidence: [`t${i}`] }));
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
    expect(oneConversation(0, 3).extraction_per_turn_pct).toBeNull(); // 0 → 0.75 per turn: no finite relative change
    expect(oneConversation(0, 0).extraction_per_turn_pct).toBe(0);
    expect(oneConversation(2, 3).extraction_per_turn_pct).toBe(50); // 0.5 → 0.75 per turn = +50%
  });

  it("junk and precision deltas are null when a side has nothing judged", () => {
    const d = oneConversation(2, 3);
    expect(d.junk_pp).toBeNull(); // nothing sampled on either side
    expect(d.precision.value).toBeNull();
    expect(d.precision.ci).toBeNull();
  });
});

describe("computeMetrics: an incomplete run", () => {
  it("counts the golden memories of a conversation never judged as missed, in the point estimate and the interval alike", () => {
    const golden = ["g1", "g2", "g3", "g4"].map((id, i) => makeGolden(id, i < 2 ? "a" : "b"));
    const start = makeRunStart({ conversations: [{ id: "a", turns: 2 }, { id: "b", turns: 2 }], golden });
    const run = makeRunData(start, [
      coverageRecord("baseline", "a", { g1: true, g2: true }),
      coverageRecord("baseline", "b", { g3: true, g4: true }),
      coverageRecord("candidate", "a", { g1: true, g2: true }),
      // The candidate's conversation b was never judged (the run stopped): 2 of 4 covered.
    ]);
    const { candidate: c } = computeMetrics(run, makeThresholds()).metrics;
    expect(c.recall).toMatchObject({ value: 0.5, covered: 2, golden: 4 }); // 2 / 4
    // Every resample draws from {a: 2/2, b: 0/2}, so the interval stays inside [0, 1] around 0.5
    // and cannot reach 1 unless b is never drawn; with the old counting it was [1, 1].
    expect(c.recall.ci![0]).toBeLessThan(0.5);
    expect(c.recall.ci![0]).toBeGreaterThanOrEqual(0);
  });
});
