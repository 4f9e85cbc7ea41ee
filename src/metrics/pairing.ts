import type { Candidate } from "../schema/candidate.js";
import type { Pairing } from "../schema/report.js";
import { subjectEntity } from "../extract/dedupe.js";
import { dice, tokenSet } from "../text/tokens.js";

/** Objects of paired candidates must be at least this similar. */
export const PAIR_OBJECT_SIMILARITY = 0.5;
const MAX_SUBJECT_EXAMPLES = 5;

export interface CandidatePair {
  baseline: Candidate;
  candidate: Candidate;
}

function pairScore(a: Candidate, b: Candidate): number {
  if (!a.evidence.some((turnId) => b.evidence.includes(turnId))) return 0;
  const sameObject = a.object.trim().toLowerCase() === b.object.trim().toLowerCase();
  const similarity = sameObject ? 1 : dice(tokenSet(a.object), tokenSet(b.object));
  return similarity >= PAIR_OBJECT_SIMILARITY ? similarity : 0;
}

/**
 * Match the two configs' candidates of one conversation one-to-one: same fact = overlapping evidence
 * turns and a similar object. Greedy by score, ties in candidate order, so the result is deterministic.
 */
export function pairCandidates(baseline: Candidate[], candidate: Candidate[]): CandidatePair[] {
  // Only candidates citing a common turn can pair: index the candidate side by evidence turn.
  const byTurn = new Map<string, number[]>();
  candidate.forEach((b, j) => {
    for (const turn of new Set(b.evidence)) {
      let list = byTurn.get(turn);
      if (!list) byTurn.set(turn, (list = []));
      list.push(j);
    }
  });
  const scored: Array<{ i: number; j: number; score: number }> = [];
  baseline.forEach((a, i) => {
    const partners = new Set(a.evidence.flatMap((turn) => byTurn.get(turn) ?? []));
    for (const j of partners) {
      const score = pairScore(a, candidate[j]!);
      if (score > 0) scored.push({ i, j, score });
    }
  });
  scored.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: CandidatePair[] = [];
  for (const { i, j } of scored) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    pairs.push({ baseline: baseline[i]!, candidate: candidate[j]! });
  }
  return pairs;
}

/**
 * Count how paired facts changed: a different predicate, type, subject string, or subject entity.
 * Two subjects that resolve to the same entity ("Caroline" and "Ms. Caroline") are the same subject
 * to the entity graph; only a different entity breaks it.
 */
export function summarizePairs(pairs: CandidatePair[]): Pairing {
  const examples = new Map<string, { from: string; to: string }>();
  let predicateChanged = 0;
  let typeChanged = 0;
  let textChanged = 0;
  let entityChanged = 0;
  for (const { baseline, candidate } of pairs) {
    if (baseline.predicate !== candidate.predicate) predicateChanged++;
    if (baseline.type !== candidate.type) typeChanged++;
    if (baseline.subject !== candidate.subject) textChanged++;
    if (subjectEntity(baseline) !== subjectEntity(candidate)) {
      entityChanged++;
      const key = `${baseline.subject}\u0000${candidate.subject}`;
      if (examples.size < MAX_SUBJECT_EXAMPLES && !examples.has(key)) examples.set(key, { from: baseline.subject, to: candidate.subject });
    }
  }
  return {
    pairs: pairs.length,
    predicate_changed: predicateChanged,
    type_changed: typeChanged,
    subject_text_changed: textChanged,
    subject_entity_changed: entityChanged,
    subject_examples: [...examples.values()],
  };
}

/** `from → to` counts of a field across pairs where it differs, most frequent first. */
export function changeCounts(
  pairs: CandidatePair[],
  field: "predicate" | "type",
): Array<{ from: string; to: string; count: number }> {
  const counts = new Map<string, { from: string; to: string; count: number }>();
  for (const { baseline, candidate } of pairs) {
    if (baseline[field] === candidate[field]) continue;
    const key = `${baseline[field]}\u0000${candidate[field]}`;
    const entry = counts.get(key) ?? { from: baseline[field], to: candidate[field], count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
