import type { Thresholds } from "../schema/bench-config.js";
import type { ConfigMetrics, Deltas, Flag, Vocabulary } from "../schema/report.js";
import { formatLimit, formatNumber, formatPoints, formatRate, formatRelative } from "../text/format-number.js";
import { HIGH_CONFIDENCE_BAND, jaccardBandLabel, jaccardBandRange } from "./band-label.js";
import { round } from "./numbers.js";

/** A shift of more than this share of candidates (10 percentage points) at confidence ≥ 0.7 is a calibration shift. */
export const CONFIDENCE_SHIFT = 0.1;
/** The dedup collapse rate spikes or drops when it moves more than this much relative to baseline… */
export const DEDUP_RELATIVE_CHANGE = 0.5;
/** …and by more than this much in absolute terms. */
export const DEDUP_ABSOLUTE_CHANGE = 0.02;

/** The findings DESIGN section 6 asks to flag; they inform the reader and the recommendation, not the gate. */
export function computeFlags(
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics; delta: Deltas },
  vocabulary: Vocabulary,
  thresholds: Thresholds,
): Flag[] {
  const { baseline, candidate, delta } = metrics;
  const flags: Flag[] = [];
  const countChange = delta.extraction_per_turn.value;
  if (countChange !== null && Math.abs(countChange) > thresholds.max_extraction_count_change) {
    flags.push({
      id: "extraction_count",
      message: `extractions per turn changed by ${formatRelative(countChange)} (beyond ${formatLimit(thresholds.max_extraction_count_change, "relative")})`,
    });
  }
  if (delta.junk.value !== null && delta.junk.value > thresholds.max_junk_increase) {
    flags.push({
      id: "junk_rate",
      message: `junk rate rose by ${formatPoints(delta.junk.value)} (${formatRate(baseline.junk.rate)} → ${formatRate(candidate.junk.rate)})`,
    });
  }
  if (vocabulary.band && vocabulary.band !== "minimal") {
    flags.push({
      id: "predicate_vocabulary",
      message: `predicate Jaccard ${formatNumber(vocabulary.jaccard)} (${jaccardBandLabel(vocabulary.band)}, ${jaccardBandRange(vocabulary.band)}); ${vocabulary.only_baseline.length} baseline predicates gone`,
    });
  }
  const shift = delta.confidence_high_share;
  if (shift !== null && round(Math.abs(shift), 10)! > CONFIDENCE_SHIFT) {
    const direction = shift > 0 ? "more generous" : "more conservative";
    flags.push({
      id: "confidence_shift",
      message: `confidence shifted: ${formatRate(baseline.confidence.high_share)} → ${formatRate(candidate.confidence.high_share)} of candidates at ${HIGH_CONFIDENCE_BAND} (${direction}; mean ${formatNumber(baseline.confidence.mean, 2)} → ${formatNumber(candidate.confidence.mean, 2)})`,
    });
  }
  const jsonRate = candidate.operating.json_fail_rate;
  if (jsonRate !== null && jsonRate > thresholds.max_json_fail_rate) {
    flags.push({
      id: "json_fail_rate",
      message: `JSON fail rate ${formatRate(jsonRate)} (above ${formatLimit(thresholds.max_json_fail_rate, "rate")})`,
    });
  }
  const a = baseline.operating.dedup_collapse_rate;
  const b = candidate.operating.dedup_collapse_rate;
  // Rounded so floating-point noise does not decide the boundary (0.09 − 0.07 is 0.01999…, 0.05 − 0.03 is 0.02000…4).
  if (a !== null && b !== null) {
    const change = round(Math.abs(b - a), 10)!;
    if (change > DEDUP_ABSOLUTE_CHANGE && change > round(DEDUP_RELATIVE_CHANGE * Math.max(a, 0.01), 10)!) {
      flags.push({
        id: "dedup_collapse_rate",
        message: `dedup collapse rate ${b > a ? "spiked" : "dropped"}: ${formatRate(a)} → ${formatRate(b)}`,
      });
    }
  }
  const er = delta.entity_resolution_fail_rate;
  if (er !== null && er > thresholds.max_entity_resolution_fail_increase) {
    flags.push({
      id: "entity_resolution",
      message: `entity-resolution fail rate rose by ${formatPoints(er)} (${formatRate(baseline.operating.entity_resolution_fail_rate)} → ${formatRate(candidate.operating.entity_resolution_fail_rate)} of all mentions)`,
    });
  }
  return flags;
}
