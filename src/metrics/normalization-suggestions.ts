import { subjectEntity } from "../extract/dedupe.js";
import type { Candidate } from "../schema/candidate.js";
import type { Vocabulary } from "../schema/report.js";
import { predicateKey } from "../text/tokens.js";

type Suggestion = Vocabulary["suggestions"][number];

/** Share of a candidate predicate's facts a baseline predicate must state too, to be its synonym. */
export const MIN_SYNONYM_SHARE = 0.3;

const REASON_ORDER: Record<Suggestion["reason"], number> = { spelling: 0, renamed: 1, synonym: 2 };

/** A config's predicates: candidates per predicate, and per predicate the (subject entity, object) facts it states with their counts. */
export interface PredicateFacts {
  counts: Map<string, number>;
  facts: Map<string, Map<string, number>>;
}

/** The (subject entity, object) key that says two candidates state the same fact. */
export function factKey(candidate: Candidate): string {
  return `${subjectEntity(candidate)}\u0000${candidate.object.trim().toLowerCase()}`;
}

export function predicateFacts(candidates: Candidate[]): PredicateFacts {
  const counts = new Map<string, number>();
  const facts = new Map<string, Map<string, number>>();
  for (const candidate of candidates) {
    counts.set(candidate.predicate, (counts.get(candidate.predicate) ?? 0) + 1);
    let keys = facts.get(candidate.predicate);
    if (!keys) facts.set(candidate.predicate, (keys = new Map()));
    const key = factKey(candidate);
    keys.set(key, (keys.get(key) ?? 0) + 1);
  }
  return { counts, facts };
}

/**
 * Candidate predicates the baseline never uses, each mapped to the baseline predicate it most likely
 * means, ranked by the candidate memories the mapping reconciles:
 * - `spelling`: the same words in another case or separator style (`worksAt` → `works_at`);
 * - `renamed`: paired facts (same evidence, same object) carry one predicate on each side;
 * - `synonym`: the two predicates state the same (subject entity, object) pairs (`works_for` → `works_at`).
 * A predicate the baseline uses itself is never remapped.
 */
export function suggestNormalizations(
  baseline: Candidate[] | PredicateFacts,
  candidate: Candidate[] | PredicateFacts,
  renames: Vocabulary["renames"],
): Suggestion[] {
  const baselineFacts = (Array.isArray(baseline) ? predicateFacts(baseline) : baseline).facts;
  const candidateSide = Array.isArray(candidate) ? predicateFacts(candidate) : candidate;
  const candidateFacts = candidateSide.facts;
  const best = new Map<string, Suggestion>();
  const offer = (suggestion: Suggestion) => {
    const current = best.get(suggestion.from);
    if (
      !current ||
      REASON_ORDER[suggestion.reason] < REASON_ORDER[current.reason] ||
      (REASON_ORDER[suggestion.reason] === REASON_ORDER[current.reason] && suggestion.reconciles > current.reconciles)
    ) {
      best.set(suggestion.from, suggestion);
    }
  };
  for (const [from, facts] of candidateFacts) {
    if (baselineFacts.has(from)) continue;
    const total = candidateSide.counts.get(from) ?? 0;
    for (const [to, keys] of baselineFacts) {
      if (predicateKey(to) === predicateKey(from)) offer({ from, to, reason: "spelling", reconciles: total });
      else {
        let shared = 0;
        for (const [key, count] of facts) if (keys.has(key)) shared += count;
        // A chance overlap ("likes Stripe" beside "worksFor Stripe") must not rename a predicate: a
        // synonym states a fair share of the same facts.
        if (shared > 0 && shared >= MIN_SYNONYM_SHARE * total)
          offer({ from, to, reason: "synonym", reconciles: shared });
      }
    }
  }
  for (const rename of renames) {
    if (baselineFacts.has(rename.to) || !baselineFacts.has(rename.from)) continue;
    offer({ from: rename.to, to: rename.from, reason: "renamed", reconciles: rename.count });
  }
  return [...best.values()].sort((a, b) => b.reconciles - a.reconciles || a.from.localeCompare(b.from));
}
