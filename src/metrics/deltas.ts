import type { Deltas, Entities } from "../schema/report.js";
import { relativeChange } from "./bootstrap.js";
import type { RawConfigMetrics } from "./config-metrics.js";
import { difference, round } from "./numbers.js";
import { roundInterval, type PairedEstimates } from "./paired-intervals.js";

/** Relative change as a fraction; from a baseline of 0 it is 0 when nothing changed and undefined (null) otherwise. */
export function relativeChangeOf(baseline: number | null, candidate: number | null): number | null {
  if (baseline === null || candidate === null) return null;
  if (baseline === 0) return candidate === 0 ? 0 : null;
  return relativeChange(baseline, candidate);
}

/**
 * Candidate − baseline for every metric, with the paired intervals where the bootstrap measured one.
 * Changes come from the unrounded values: rounding each side first shifts a relative change by up to
 * a few hundredths of a percent (5/9 vs 6/15 extractions per turn is +38.89%, not +38.9%).
 */
export function computeDeltas(
  a: RawConfigMetrics,
  b: RawConfigMetrics,
  estimates: PairedEstimates,
  entities: Entities,
): Deltas {
  const { intervals, correctedChange } = estimates;
  const change = (pick: (m: RawConfigMetrics) => number | null) => round(difference(pick(b), pick(a)));
  const relative = (pick: (m: RawConfigMetrics) => number | null) => round(relativeChangeOf(pick(a), pick(b)));
  const measuredEntities = entities.not_measured === undefined;
  return {
    precision: {
      value: change((m) => m.precision.value),
      ci: roundInterval(intervals.precision.delta),
      se: round(intervals.precision.se),
      ...correctedChange("precision"),
    },
    recall: {
      value: change((m) => m.recall.value),
      ci: roundInterval(intervals.recall.delta),
      se: round(intervals.recall.se),
      ...correctedChange("recall"),
    },
    extraction_per_turn: {
      value: relative((m) => m.extraction.per_turn),
      ci: roundInterval(intervals.extraction.delta),
      se: round(intervals.extraction.se),
    },
    junk: {
      value: change((m) => m.junk.rate),
      ci: roundInterval(intervals.junk.delta),
      se: round(intervals.junk.se),
      ...correctedChange("junk"),
    },
    confidence_high_share: change((m) => m.confidence.high_share),
    confidence_mean: change((m) => m.confidence.mean),
    json_fail_rate: change((m) => m.operating.json_fail_rate),
    dedup_collapse_rate: change((m) => m.operating.dedup_collapse_rate),
    entity_resolution_fail_rate: entities.fail_rate_delta,
    useful_per_conversation: relative((m) => m.useful_per_conversation ?? null),
    entity_resolution: {
      value: entities.fail_rate_delta,
      ci: measuredEntities ? roundInterval(intervals.entity_resolution.delta) : null,
      se: measuredEntities ? round(intervals.entity_resolution.se) : null,
    },
  };
}
