import type { Candidate } from "../schema/candidate.js";
import type { TypeChange } from "../schema/report.js";
import { countBy } from "./numbers.js";
import type { CandidatePair } from "./pairing.js";

/** A type counts as present in a config from this many candidates and this share of them. */
export const MIN_TYPE_COUNT = 2;
export const MIN_TYPE_SHARE = 0.01;

function significantTypes(counts: Record<string, number>, total: number): Set<string> {
  return new Set(
    Object.keys(counts).filter((t) => counts[t]! >= MIN_TYPE_COUNT && counts[t]! / total >= MIN_TYPE_SHARE),
  );
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
  const byType: TypeMoves = new Map();
  for (const { baseline, candidate } of pairs) {
    const entry = byType.get(baseline.type) ?? { pairs: 0, to: new Map<string, number>() };
    entry.pairs++;
    if (candidate.type !== baseline.type) entry.to.set(candidate.type, (entry.to.get(candidate.type) ?? 0) + 1);
    byType.set(baseline.type, entry);
  }
  return describeTypeMoves(byType);
}

/** Baseline type → its paired facts, and the types they moved to with counts. */
export type TypeMoves = Map<string, { pairs: number; to: Map<string, number> }>;

export function describeTypeMoves(byType: TypeMoves): TypeChange["moved_by_type"] {
  return [...byType.entries()]
    .map(([type, entry]) => {
      const moved = [...entry.to.values()].reduce((sum, n) => sum + n, 0);
      return {
        type,
        pairs: entry.pairs,
        moved,
        share: moved / entry.pairs,
        to: [...entry.to.entries()]
          .map(([to, count]) => ({ type: to, count }))
          .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      };
    })
    .sort((a, b) => b.pairs - a.pairs || a.type.localeCompare(b.type));
}

/** Type distributions of both configs, from their candidates or from type → count. */
export function compareTypes(
  baseline: Candidate[] | Map<string, number>,
  candidate: Candidate[] | Map<string, number>,
  moved: TypeChange["moved"],
  movedByType: TypeChange["moved_by_type"] = [],
): TypeChange {
  const counts = (side: Candidate[] | Map<string, number>) =>
    Array.isArray(side) ? countBy(side, (c) => c.type) : Object.fromEntries(side);
  const total = (side: Record<string, number>) => Object.values(side).reduce((sum, n) => sum + n, 0);
  const a = counts(baseline);
  const b = counts(candidate);
  const presentA = significantTypes(a, total(a));
  const presentB = significantTypes(b, total(b));
  return {
    baseline: sortedCounts(a),
    candidate: sortedCounts(b),
    appeared: [...presentB].filter((t) => !(t in a)).sort(),
    disappeared: [...presentA].filter((t) => !(t in b)).sort(),
    moved,
    moved_by_type: movedByType,
  };
}
