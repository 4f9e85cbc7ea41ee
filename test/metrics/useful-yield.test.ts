import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../src/metrics/compute-metrics.js";
import { usefulPerConversation } from "../../src/metrics/useful-yield.js";
import { makeRunData, makeThresholds, threeConversationRun } from "./fixtures.js";

describe("usefulPerConversation", () => {
  it("is precision × extractions per conversation", () => {
    // 1 of 2 judged useful, 3 candidates over 2 conversations → 0.5 × 1.5
    expect(usefulPerConversation({ conversations: 2, candidates: 3, useful: 1, judged: 2 })).toBe(0.75);
  });

  it("reads precision from the judged candidates alone, so a sampled judge still gives the yield of every candidate", () => {
    // 3 of the 4 judged useful; 20 candidates over 4 conversations → 0.75 × 5
    expect(usefulPerConversation({ conversations: 4, candidates: 20, useful: 3, judged: 4 })).toBe(3.75);
  });

  it("is null when nothing was judged or no conversation was paired, and 0 when nothing was useful", () => {
    expect(usefulPerConversation({ conversations: 2, candidates: 3, useful: 0, judged: 0 })).toBeNull();
    expect(usefulPerConversation({ conversations: 0, candidates: 0, useful: 0, judged: 0 })).toBeNull();
    expect(usefulPerConversation({ conversations: 2, candidates: 3, useful: 0, judged: 3 })).toBe(0);
  });
});

describe("useful memories per conversation in the metrics", () => {
  const { start, records } = threeConversationRun({ bench: { seed: 42, bootstrap_resamples: 200 } });
  const { baseline, candidate, delta } = computeMetrics(makeRunData(start, records), makeThresholds()).metrics;

  it("per config over the paired conversations, rounded to 4 places", () => {
    // baseline: 2 of 3 judged useful, 3 candidates over c1 and c3 → 2/3 × 1.5
    expect(baseline.useful_per_conversation).toBe(1);
    // candidate: all 3 judged useful (c3's verdict failed and is left out), 5 candidates over c1 and c3 → 1 × 2.5
    expect(candidate.useful_per_conversation).toBe(2.5);
  });

  it("and its relative change, candidate over baseline", () => {
    expect(delta.useful_per_conversation).toBe(1.5); // 2.5 / 1 − 1
  });
});
