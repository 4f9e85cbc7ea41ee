import type { Candidate } from "../schema/candidate.js";
import type { Pairing } from "../schema/report.js";
import { subjectEntity } from "../extract/dedupe.js";
import { nameTokens } from "../extract/resolve-refs.js";
import { dice, tokenSet } from "../text/tokens.js";

/** Objects of paired candidates must be at least this similar. */
export const PAIR_OBJECT_SIMILARITY = 0.5;
const MAX_SUBJECT_EXAMPLES = 5;

export interface CandidatePair {
  baseline: Candidate;
  candidate: Candidate;
  /** Set when the two were paired by subject and object, one of them citing no evidence turn. */
  by?: "subject_object";
}

function objectScore(a: Candidate, b: Candidate): number {
  const sameObject = a.object.trim().toLowerCase() === b.object.trim().toLowerCase();
  const similarity = sameObject ? 1 : dice(tokenSet(a.object), tokenSet(b.object));
  return similarity >= PAIR_OBJECT_SIMILARITY ? similarity : 0;
}

function pairScore(a: Candidate, b: Candidate): number {
  if (!a.evidence.some((turnId) => b.evidence.includes(turnId))) return 0;
  return objectScore(a, b);
}

/**
 * Two subjects that name the same one: the same entity, or a name token in common ("Alice" and
 * `alice-chen`, "Ms. Alice Chen"): a change of naming convention still agrees, another person does not.
 */
function subjectsAgree(a: Candidate, b: Candidate): boolean {
  if (subjectEntity(a) === subjectEntity(b)) return true;
  const tokens = new Set(nameTokens(a.subject));
  return nameTokens(b.subject).some((token) => tokens.has(token));
}

/** Without evidence on one side, the same fact is the same subject and a similar object in the conversation. */
function fallbackScore(a: Candidate, b: Candidate): number {
  return subjectsAgree(a, b) ? objectScore(a, b) : 0;
}

/**
 * Match the two configs' candidates of one conversation one-to-one: same fact = overlapping evidence
 * turns and a similar object. A candidate that cites no evidence turn (on either side) pairs by
 * subject and object instead: subjects that agree and a similar object within the conversation; such
 * pairs are marked `by: "subject_object"`. Greedy by score, evidence pairs before the others, ties in
 * candidate order, so the result is deterministic.
 */
export function pairCandidates(baseline: Candidate[], candidate: Candidate[]): CandidatePair[] {
  // Only candidates citing a common turn can pair by evidence: index the candidate side by evidence turn.
  const byTurn = new Map<string, number[]>();
  candidate.forEach((b, j) => {
    for (const turn of new Set(b.evidence)) {
      let list = byTurn.get(turn);
      if (!list) byTurn.set(turn, (list = []));
      list.push(j);
    }
  });
  const withoutEvidence = candidate.flatMap((b, j) => (b.evidence.length === 0 ? [j] : []));
  const scored: Array<{ i: number; j: number; score: number; fallback: boolean }> = [];
  baseline.forEach((a, i) => {
    const partners = new Set(a.evidence.flatMap((turn) => byTurn.get(turn) ?? []));
    for (const j of partners) {
      const score = pairScore(a, candidate[j]!);
      if (score > 0) scored.push({ i, j, score, fallback: false });
    }
    const others = a.evidence.length === 0 ? candidate.map((_, j) => j) : withoutEvidence;
    for (const j of others) {
      const score = fallbackScore(a, candidate[j]!);
      if (score > 0) scored.push({ i, j, score, fallback: true });
    }
  });
  scored.sort((x, y) => Number(x.fallback) - Number(y.fallback) || y.score - x.score || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: CandidatePair[] = [];
  for (const { i, j, fallback } of scored) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    pairs.push(
      fallback
        ? { baseline: baseline[i]!, candidate: candidate[j]!, by: "subject_object" }
        : { baseline: baseline[i]!, candidate: candidate[j]! },
    );
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
      if (examples.size < MAX_SUBJECT_EXAMPLES && !examples.has(key))
        examples.set(key, { from: baseline.subject, to: candidate.subject });
    }
  }
  const fallback = pairs.filter((p) => p.by === "subject_object").length;
  return {
    pairs: pairs.length,
    by_evidence: pairs.length - fallback,
    by_subject_object: fallback,
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
  return [...counts.values()].sort(
    (a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
}
