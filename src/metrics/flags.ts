import type { Thresholds } from "../schema/bench-config.js";
import type { ConfigMetrics, Deltas, Flag, Vocabulary } from "../schema/report.js";
import { round } from "./numbers.js";

/** A shift of more than this many percentage points of mass at confidence ≥ 0.7 is a calibration shift. */
export const CONFIDENCE_SHIFT_PP = 10;
/** The dedup collapse rate spikes or drops when it moves more than this much relative to baseline… */
export const DEDUP_RELATIVE_CHANGE = 0.5;
/** …and by more than this much in absolute terms. */
export const DEDUP_ABSOLUTE_CHANGE = 0.02;

const pct = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);

/** The findings DESIGN section 6 asks to flag; they inform the reader and the recommendation, not the gate. */
export function computeFlags(
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics; delta: Deltas },
  vocabulary: Vocabulary,
  thresholds: Thresholds,
): Flag[] {
  const { baseline, candidate, delta } = metrics;
  const flags: Flag[] = [];
  const countChange = delta.extraction_per_turn_pct;
  // Compare as a fraction, as the gate does: 0.57 * 100 is 56.99999999999999, so a change of exactly 57% would be flagged.
  if (countChange !== null && Math.abs(countChange) / 100 > thresholds.max_extraction_count_change) {
    flags.push({ id: "extraction_count", message: `extractions per turn changed by ${countChange.toFixed(1)}% (more than ±${round(thresholds.max_extraction_count_change * 100, 2)}%)` });
  }
  if (delta.junk_pp !== null && delta.junk_pp > thresholds.max_junk_increase_pp) {
    flags.push({ id: "junk_rate", message: `junk rate rose by ${delta.junk_pp.toFixed(1)} pp (${pct(baseline.junk.rate)} → ${pct(candidate.junk.rate)})` });
  }
  if (vocabulary.band && vocabulary.band !== "minimal") {
    flags.push({
      id: "predicate_vocabulary",
      message: `predicate Jaccard ${vocabulary.jaccard?.toFixed(3)} (${vocabulary.band === "significant" ? "significant break, below 0.5" : "noticeable drift, 0.5–0.8"}); ${vocabulary.only_baseline.length} baseline predicates gone`,
    });
  }
  if (delta.confidence_high_share_pp !== null && Math.abs(delta.confidence_high_share_pp) > CONFIDENCE_SHIFT_PP) {
    const direction = delta.confidence_high_share_pp > 0 ? "more generous" : "more conservative";
    flags.push({
      id: "confidence_shift",
      message: `confidence shifted: ${pct(baseline.confidence.high_share)} → ${pct(candidate.confidence.high_share)} of candidates at ≥ 0.7 (${direction}; mean ${baseline.confidence.mean?.toFixed(2)} → ${candidate.confidence.mean?.toFixed(2)})`,
    });
  }
  const jsonRate = candidate.operating.json_fail_rate;
  if (jsonRate !== null && jsonRate > thresholds.max_json_fail_rate) {
    flags.push({ id: "json_fail_rate", message: `JSON fail rate ${pct(jsonRate)} (above ${pct(thresholds.max_json_fail_rate)})` });
  }
  const a = baseline.operating.dedup_collapse_rate;
  const b = candidate.operating.dedup_collapse_rate;
  // Rounded so floating-point noise does not decide the boundary (0.09 − 0.07 is 0.01999…, 0.05 − 0.03 is 0.02000…4).
  if (a !== null && b !== null) {
    const change = round(Math.abs(b - a), 10)!;
    if (change > DEDUP_ABSOLUTE_CHANGE && change > round(DEDUP_RELATIVE_CHANGE * Math.max(a, 0.01), 10)!) {
      flags.push({ id: "dedup_collapse_rate", message: `dedup collapse rate ${b > a ? "spiked" : "dropped"}: ${pct(a)} → ${pct(b)}` });
    }
  }
  const er = candidate.operating.entity_resolution_fail_rate;
  if (er !== null && er > thresholds.max_entity_resolution_fail_rate) {
    flags.push({ id: "entity_resolution", message: `entity-resolution fail rate ${pct(er)} (above ${pct(thresholds.max_entity_resolution_fail_rate)})` });
  }
  return flags;
}
