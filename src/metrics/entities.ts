import type { Candidate } from "../schema/candidate.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { Entities } from "../schema/report.js";
import { difference, ratio } from "./numbers.js";

const TOP_UNRESOLVED = 10;

/** Entity resolution of one config over the given dry runs: every mention counts, repeats included. */
export function summarizeEntities(results: DryRunResult[], candidates: Candidate[]): Entities["baseline"] {
  let mentions = 0;
  let fallback = 0;
  for (const result of results) {
    const stages = result.counts.resolved_by_stage;
    mentions += stages.exact + stages.alias + stages.fuzzy + stages.fallback;
    fallback += stages.fallback;
  }
  const unresolved = new Map<string, number>();
  for (const candidate of candidates) {
    for (const entity of candidate.entities)
      if (entity.stage === "fallback") unresolved.set(entity.mention, (unresolved.get(entity.mention) ?? 0) + 1);
  }
  return entitySummary(mentions, fallback, unresolved);
}

/** Entity resolution from its counts: mentions, fallbacks, and fallback mention → count. */
export function entitySummary(
  mentions: number,
  fallback: number,
  unresolved: Map<string, number>,
): Entities["baseline"] {
  return {
    mentions,
    fallback,
    fail_rate: ratio(fallback, mentions),
    top_unresolved: [...unresolved.entries()]
      .map(([mention, count]) => ({ mention, count }))
      .sort((a, b) => b.count - a.count || a.mention.localeCompare(b.mention))
      .slice(0, TOP_UNRESOLVED),
  };
}

export function compareEntities(baseline: Entities["baseline"], candidate: Entities["candidate"]): Entities {
  return { baseline, candidate, fail_rate_delta: difference(candidate.fail_rate, baseline.fail_rate) };
}
