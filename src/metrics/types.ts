import type { Candidate } from "../schema/candidate.js";
import type { TypeChange } from "../schema/report.js";
import { countBy } from "./numbers.js";
import type { CandidatePair } from "./pairing.js";

/** A type counts as present in a config from this many candidates and this share of them. */
export const MIN_TYPE_COUNT = 2;
export const MIN_TYPE_SHARE = 0.01;

function significantTypes(counts: Record<string, number>, total: number): Set<string> {
  return new Set(Object.keys(counts).filter((t) => counts[t]! >= MIN_TYPE_COUNT && counts[t]! / total >= MIN_TYPE_SHARE));
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/**
 * Type distribution of both configs and how it changed: types that appear or disappear (present
 * in one config, absent from the other) and types that moved (the same fact typed differently).
 */
/** For each baseline type, its paired facts and the types they moved to, largest type first. */
export function typeMovesByType(pairs: CandidatePair[]): TypeChange["moved_by_type"] {
  const byType = new Map<string, { pairs: number; to: Map<string, number> }>();
  for (const { baseline, candidate } of pairs) {
    const entry = byType.get(baseline.type) ?? { pairs: 0, to: new Map<string, number>() };
    entry.pairs++;
    if (candidate.type !== baseline.type) entry.to.set(candidate.type, (entry.to.get(candidate.type) ?? 0) + 1);
    byType.set(baseline.type, entry);
  }
  return [...byType.entries()]
    .map(([type, entry]) => {
      const moved = [...entry.to.values()].reduce((sum, n) => sum + n, 0);
      return {
        type,
        pairs: entry.pairs,
        moved,
        share: moved / entry.pairs,
        to: [...entry.to.entries()].map(([to, count]) => ({ type: to, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      };
    })
    .sort((a, b) => b.pairs - a.pairs || a.type.localeCompare(b.type));
}

export function compareTypes(baseline: Candidate[], candidate: Candidate[], moved: TypeChange["moved"], movedByType: TypeChange["moved_by_type"] = []): TypeChange {
  const a = countBy(baseline, (c) => c.type);
  const b = countBy(candidate, (c) => c.type);
  const presentA = significantTypes(a, baseline.length);
  const presentB = significantTypes(b, candidate.length);
  return {
    baseline: sortedCounts(a),
    candidate: sortedCounts(b),
    appeared: [...presentB].filter((t) => !(t in a)).sort(),
    disappeared: [...presentA].filter((t) => !(t in b)).sort(),
    moved,
    moved_by_type: movedByType,
  };
}
