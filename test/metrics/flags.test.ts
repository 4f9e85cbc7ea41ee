import { describe, expect, it } from "vitest";
import { computeFlags } from "../../src/metrics/flags.js";
import type { Thresholds } from "../../src/schema/bench-config.js";
import type { ConfigMetrics, Deltas, Vocabulary } from "../../src/schema/report.js";
import { makeConfigMetrics, makeDeltas, makeThresholds, makeVocabulary } from "./fixtures.js";

interface Case {
  baseline?: ConfigMetrics;
  candidate?: ConfigMetrics;
  delta?: Partial<Deltas>;
  vocabulary?: Partial<Vocabulary>;
  thresholds?: Partial<Thresholds>;
}

function flagsFor(c: Case) {
  return computeFlags(
    {
      baseline: c.baseline ?? makeConfigMetrics(),
      candidate: c.candidate ?? makeConfigMetrics(),
      delta: makeDeltas(c.delta),
    },
    makeVocabulary(c.vocabulary),
    makeThresholds(c.thresholds),
  );
}
const rel = (value: number) => ({ value, ci: null });
const ids = (c: Case) => flagsFor(c).map((f) => f.id);
const dedup = (a: number, b: number): Case => ({
  baseline: makeConfigMetrics({ operating: { dedup_collapse_rate: a } }),
  candidate: makeConfigMetrics({ operating: { dedup_collapse_rate: b } }),
});

describe("computeFlags", () => {
  it("raises nothing when nothing moved", () => {
    expect(flagsFor({})).toEqual([]);
  });

  // Each row: at the threshold → no flag; just beyond it → the flag.
  it.each<[string, string, Case, Case]>([
    [
      "extraction_count",
      "+40% vs +40.01% (default ±40%)",
      { delta: { extraction_per_turn: rel(0.4) } },
      { delta: { extraction_per_turn: rel(0.4001) } },
    ],
    [
      "extraction_count",
      "−40% vs −40.01%",
      { delta: { extraction_per_turn: rel(-0.4) } },
      { delta: { extraction_per_turn: rel(-0.4001) } },
    ],
    [
      "extraction_count",
      "+57% vs +57.01% at a custom ±57%",
      { delta: { extraction_per_turn: rel(0.57) }, thresholds: { max_extraction_count_change: 0.57 } },
      { delta: { extraction_per_turn: rel(0.5701) }, thresholds: { max_extraction_count_change: 0.57 } },
    ],
    ["junk_rate", "+5 pp vs +5.01 pp (default 0.05)", { delta: { junk: rel(0.05) } }, { delta: { junk: rel(0.0501) } }],
    [
      "junk_rate",
      "+2 pp vs +2.01 pp at a custom 0.02",
      { delta: { junk: rel(0.02) }, thresholds: { max_junk_increase: 0.02 } },
      { delta: { junk: rel(0.0201) }, thresholds: { max_junk_increase: 0.02 } },
    ],
    [
      "predicate_vocabulary",
      "Jaccard 0.8 (minimal) vs 0.79 (noticeable)",
      { vocabulary: { jaccard: 0.8, band: "minimal" } },
      { vocabulary: { jaccard: 0.79, band: "noticeable", only_baseline: ["works_at"] } },
    ],
    [
      "confidence_shift",
      "+10 pp vs +10.01 pp of high-confidence mass",
      { delta: { confidence_high_share: 0.1 } },
      { delta: { confidence_high_share: 0.1001 } },
    ],
    [
      "confidence_shift",
      "−10 pp vs −10.01 pp",
      { delta: { confidence_high_share: -0.1 } },
      { delta: { confidence_high_share: -0.1001 } },
    ],
    [
      "json_fail_rate",
      "2% vs 2.01% (default 2%)",
      { candidate: makeConfigMetrics({ operating: { json_fail_rate: 0.02 } }) },
      { candidate: makeConfigMetrics({ operating: { json_fail_rate: 0.0201 } }) },
    ],
    ["dedup_collapse_rate", "25% → 37.5% (+50% relative) vs → 37.51%", dedup(0.25, 0.375), dedup(0.25, 0.3751)],
    ["dedup_collapse_rate", "25% → 12.5% (−50% relative) vs → 12.49%", dedup(0.25, 0.125), dedup(0.25, 0.1249)],
    ["dedup_collapse_rate", "1% → 3% (+2 pp absolute) vs → 3.01%", dedup(0.01, 0.03), dedup(0.01, 0.0301)],
    [
      "dedup_collapse_rate",
      "3% → 5% (+2 pp, 0.05 − 0.03 = 0.020000000000000004 in floating point) vs → 5.01%",
      dedup(0.03, 0.05),
      dedup(0.03, 0.0501),
    ],
    [
      "entity_resolution",
      "+1 pp vs +1.01 pp over the baseline (default 0.01)",
      { delta: { entity_resolution_fail_rate: 0.01 } },
      { delta: { entity_resolution_fail_rate: 0.0101 } },
    ],
  ])("%s: %s", (id, _label, atThreshold, beyond) => {
    expect(ids(atThreshold)).not.toContain(id);
    expect(ids(beyond)).toEqual([id]);
  });

  it("does not flag a junk rate that falls or an extraction change that is null", () => {
    expect(
      flagsFor({
        delta: { junk: rel(-0.3), extraction_per_turn: { value: null, ci: null }, confidence_high_share: null },
      }),
    ).toEqual([]);
  });

  it("needs both the relative and the absolute dedup change", () => {
    // 0.5% → 1.5%: +200% relative but only +1 pp absolute → no flag
    expect(ids(dedup(0.005, 0.015))).toEqual([]);
    // 60% → 62.1%: +2.1 pp absolute but only +3.5% relative → no flag
    expect(ids(dedup(0.6, 0.621))).toEqual([]);
  });

  it("says what moved, with its numbers", () => {
    const [vocabulary] = flagsFor({
      vocabulary: { jaccard: 0.42, band: "significant", only_baseline: ["a", "b", "c"] },
    });
    expect(vocabulary!.message).toContain("0.420");
    expect(vocabulary!.message).toContain("significant");
    expect(vocabulary!.message).toContain("3 baseline predicates gone");

    const [shift] = flagsFor({
      baseline: makeConfigMetrics({ confidence: { high_share: 0.6, mean: 0.72 } }),
      candidate: makeConfigMetrics({ confidence: { high_share: 0.25, mean: 0.55 } }),
      delta: { confidence_high_share: -0.35 },
    });
    expect(shift!.message).toContain("60.0% → 25.0%");
    expect(shift!.message).toContain("more conservative");
    expect(shift!.message).toContain("0.72 → 0.55");

    const [count] = flagsFor({
      delta: { extraction_per_turn: rel(0.625) },
      thresholds: { max_extraction_count_change: 0.57 },
    });
    expect(count!.message).toBe("extractions per turn changed by +62.5% (beyond ±57.0%)");

    const [dedupFlag] = flagsFor(dedup(0.1, 0.25));
    expect(dedupFlag!.message).toBe("dedup collapse rate spiked: 10.0% → 25.0%");
  });
});
