import { subjectEntity } from "../extract/dedupe.js";
import type { Candidate } from "../schema/candidate.js";
import type { Vocabulary } from "../schema/report.js";
import { predicateKey } from "../text/tokens.js";
import { groupBy } from "./numbers.js";

type Suggestion = Vocabulary["suggestions"][number];

/** Share of a candidate predicate's facts a baseline predicate must state too, to be its synonym. */
export const MIN_SYNONYM_SHARE = 0.3;

const REASON_ORDER: Record<Suggestion["reason"], number> = { spelling: 0, renamed: 1, synonym: 2 };

function factKey(candidate: Candidate): string {
  return `${subjectEntity(candidate)}\u0000${candidate.object.trim().toLowerCase()}`;
}

/**
 * Candidate predicates the baseline never uses, each mapped to the baseline predicate it most likely
 * means, ranked by the candidate memories the mapping reconciles:
 * - `spelling`: the same words in another case or separator style (`worksAt` → `works_at`);
 * - `renamed`: paired facts (same evidence, same object) carry one predicate on each side;
 * - `synonym`: the two predicates state the same (subject entity, object) pairs (`works_for` → `works_at`).
 * A predicate the baseline uses itself is never remapped.
 */
export function suggestNormalizations(baseline: Candidate[], candidate: Candidate[], renames: Vocabulary["renames"]): Suggestion[] {
  const baselineFacts = groupBy(baseline, (c) => c.predicate);
  const candidateFacts = groupBy(candidate, (c) => c.predicate);
  const baselineKeys = new Map([...baselineFacts].map(([predicate, facts]) => [predicate, new Set(facts.map(factKey))]));
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
    for (const [to, keys] of baselineKeys) {
      if (predicateKey(to) === predicateKey(from)) offer({ from, to, reason: "spelling", reconciles: facts.length });
      else {
        const shared = facts.filter((fact) => keys.has(factKey(fact))).length;
        // A chance overlap ("likes Stripe" beside "worksFor Stripe") must not rename a predicate: a
        // synonym states a fair share of the same facts.
        if (shared > 0 && shared >= MIN_SYNONYM_SHARE * facts.length) offer({ from, to, reason: "synonym", reconciles: shared });
      }
    }
  }
  for (const rename of renames) {
    if (baselineFacts.has(rename.to) || !baselineFacts.has(rename.from)) continue;
    offer({ from: rename.to, to: rename.from, reason: "renamed", reconciles: rename.count });
  }
  return [...best.values()].sort((a, b) => b.reconciles - a.reconciles || a.from.localeCompare(b.from));
}
