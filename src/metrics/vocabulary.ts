import type { Candidate } from "../schema/candidate.js";
import type { Vocabulary } from "../schema/report.js";
import { countBy } from "./numbers.js";
import { predicateFacts, suggestNormalizations, type PredicateFacts } from "./normalization-suggestions.js";

export const JACCARD_MINIMAL_DRIFT = 0.8;
export const JACCARD_SIGNIFICANT_BREAK = 0.5;

/** The top-k predicates by count; ties broken alphabetically so the cut is deterministic. */
export function topPredicates(
  candidates: Candidate[] | Map<string, number>,
  k: number,
): Array<{ predicate: string; count: number }> {
  const counts = Array.isArray(candidates)
    ? Object.entries(countBy(candidates, (c) => c.predicate))
    : [...candidates.entries()];
  return counts
    .map(([predicate, count]) => ({ predicate, count }))
    .sort((a, b) => b.count - a.count || (a.predicate < b.predicate ? -1 : a.predicate > b.predicate ? 1 : 0))
    .slice(0, k);
}

/** |A ∩ B| / |A ∪ B|; null when both are empty. */
export function computePredicateJaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number | null {
  const union = new Set([...a, ...b]);
  if (union.size === 0) return null;
  let shared = 0;
  for (const p of a) if (b.has(p)) shared++;
  return shared / union.size;
}

/** ≥ 0.8 minimal drift (coexist safe), 0.5–0.8 noticeable (add normalization), < 0.5 significant break. */
export function jaccardBand(jaccard: number | null): Vocabulary["band"] {
  if (jaccard === null) return null;
  if (jaccard >= JACCARD_MINIMAL_DRIFT) return "minimal";
  return jaccard >= JACCARD_SIGNIFICANT_BREAK ? "noticeable" : "significant";
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Predicate vocabularies of both configs from their candidates, or from predicate counts and facts (see suggestNormalizations). */
export function compareVocabularies(
  baseline: Candidate[] | PredicateFacts,
  candidate: Candidate[] | PredicateFacts,
  k: number,
  renames: Vocabulary["renames"],
): Vocabulary {
  const a = Array.isArray(baseline) ? predicateFacts(baseline) : baseline;
  const b = Array.isArray(candidate) ? predicateFacts(candidate) : candidate;
  return compareVocabularyFacts(a, b, k, renames);
}

function compareVocabularyFacts(
  baseline: PredicateFacts,
  candidate: PredicateFacts,
  k: number,
  renames: Vocabulary["renames"],
): Vocabulary {
  const a = new Set(topPredicates(baseline.counts, k).map((p) => p.predicate));
  const b = new Set(topPredicates(candidate.counts, k).map((p) => p.predicate));
  const jaccard = computePredicateJaccard(a, b);
  return {
    top_k: k,
    jaccard,
    band: jaccardBand(jaccard),
    shared: sorted([...a].filter((p) => b.has(p))),
    only_baseline: sorted([...a].filter((p) => !b.has(p))),
    only_candidate: sorted([...b].filter((p) => !a.has(p))),
    renames,
    suggestions: suggestNormalizations(baseline, candidate, renames),
  };
}
