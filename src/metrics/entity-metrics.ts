import type { Entities } from "../schema/report.js";
import { compareEntities, entitySummary } from "./entities.js";
import { round } from "./numbers.js";
import type { SideTotals } from "./run-data.js";

/**
 * Why entity resolution cannot be read, or undefined when it can: with no mention resolved to a known
 * entity on either side, every mention reached the fallback stage whatever the extractor did (the
 * dataset lists no known entity the mentions could match), and the fail rate says nothing.
 */
function entityResolutionUnmeasured(a: SideTotals, b: SideTotals): string | undefined {
  if (a.mentions === 0 && b.mentions === 0) return "no entity mention on either side";
  if (a.mentions === a.fallback && b.mentions === b.fallback) {
    return "no mention on either side resolved to a known entity: the dataset lists none the mentions match (a conversation's `entities`), so every mention falls back and the fail rate measures nothing";
  }
  return undefined;
}

/** Both configs' entity resolution, rounded, with the reason it cannot be read when it cannot (see entityResolutionUnmeasured). */
export function measureEntities(a: SideTotals, b: SideTotals): Entities {
  const entities = compareEntities(
    entitySummary(a.mentions, a.fallback, a.unresolved),
    entitySummary(b.mentions, b.fallback, b.unresolved),
  );
  const unmeasured = entityResolutionUnmeasured(a, b);
  entities.baseline.fail_rate = unmeasured ? null : round(entities.baseline.fail_rate);
  entities.candidate.fail_rate = unmeasured ? null : round(entities.candidate.fail_rate);
  entities.fail_rate_delta = unmeasured ? null : round(entities.fail_rate_delta);
  if (unmeasured) entities.not_measured = unmeasured;
  return entities;
}
