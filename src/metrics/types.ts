import type { Candidate } from "../schema/candidate.js";
import type { TypeChange } from "../schema/report.js";
import { countBy } from "./numbers.js";

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
export function compareTypes(baseline: Candidate[], candidate: Candidate[], moved: TypeChange["moved"]): TypeChange {
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
  };
}
