import { coveredByGolden, type ConversationRecords } from "./conversation-records.js";
import { changeCounts, pairCandidates, summarizePairs } from "./pairing.js";
import { typeMovesByType } from "./types.js";

const MAX_SUBJECT_EXAMPLES = 5;

/** What changed between the two configs' candidates, summed over the paired conversations. */
export interface PairTotals {
  pairs: number;
  /** Pairs made by overlapping evidence turns, and by subject and object where one side cited none. */
  byEvidence: number;
  bySubjectObject: number;
  predicateChanged: number;
  typeChanged: number;
  subjectTextChanged: number;
  subjectEntityChanged: number;
  /** Subject changes with the position of their conversation, for deterministic examples. */
  subjectExamples: Array<{ position: number; from: string; to: string }>;
  predicateChanges: Map<string, { from: string; to: string; count: number }>;
  typeChanges: Map<string, { from: string; to: string; count: number }>;
  typeMoves: Map<string, { pairs: number; to: Map<string, number> }>;
  /** Golden memories covered by the baseline only, by the candidate only. */
  baselineOnly: number;
  candidateOnly: number;
}

export function emptyPairs(): PairTotals {
  return {
    pairs: 0,
    byEvidence: 0,
    bySubjectObject: 0,
    predicateChanged: 0,
    typeChanged: 0,
    subjectTextChanged: 0,
    subjectEntityChanged: 0,
    subjectExamples: [],
    predicateChanges: new Map(),
    typeChanges: new Map(),
    typeMoves: new Map(),
    baselineOnly: 0,
    candidateOnly: 0,
  };
}

/** Add one paired conversation (both configs' dry runs succeeded) at its dataset `position`. */
export function addPair(totals: PairTotals, position: number, records: ConversationRecords): void {
  const baseline = records.dryRuns.baseline!.result.candidates;
  const candidate = records.dryRuns.candidate!.result.candidates;
  const pairs = pairCandidates(baseline, candidate);
  const summary = summarizePairs(pairs);
  totals.pairs += summary.pairs;
  totals.byEvidence += summary.by_evidence ?? 0;
  totals.bySubjectObject += summary.by_subject_object ?? 0;
  totals.predicateChanged += summary.predicate_changed;
  totals.typeChanged += summary.type_changed;
  totals.subjectTextChanged += summary.subject_text_changed;
  totals.subjectEntityChanged += summary.subject_entity_changed;
  for (const example of summary.subject_examples) totals.subjectExamples.push({ position, ...example });
  if (totals.subjectExamples.length > MAX_SUBJECT_EXAMPLES * 20)
    totals.subjectExamples = subjectExamples(totals.subjectExamples).slice(0, MAX_SUBJECT_EXAMPLES * 4);
  for (const [field, into] of [
    ["predicate", totals.predicateChanges],
    ["type", totals.typeChanges],
  ] as const) {
    for (const change of changeCounts(pairs, field)) {
      const key = `${change.from}\u0000${change.to}`;
      const entry = into.get(key) ?? { from: change.from, to: change.to, count: 0 };
      entry.count += change.count;
      into.set(key, entry);
    }
  }
  for (const move of typeMovesByType(pairs)) {
    const entry = totals.typeMoves.get(move.type) ?? { pairs: 0, to: new Map<string, number>() };
    entry.pairs += move.pairs;
    for (const to of move.to) entry.to.set(to.type, (entry.to.get(to.type) ?? 0) + to.count);
    totals.typeMoves.set(move.type, entry);
  }
  addDiscordant(totals, records);
}

/** McNemar's discordant pairs: golden memories one config covered and the other did not. */
function addDiscordant(totals: PairTotals, records: ConversationRecords): void {
  const a = records.coverage.baseline;
  const b = records.coverage.candidate;
  if (!a || !b || a.error || b.error) return;
  const byCandidate = coveredByGolden(b);
  for (const [goldenId, covered] of coveredByGolden(a)) {
    const other = byCandidate.get(goldenId);
    if (other === undefined) continue;
    if (covered && !other) totals.baselineOnly++;
    if (!covered && other) totals.candidateOnly++;
  }
}

/** Distinct subject changes, in dataset order. */
export function subjectExamples(examples: PairTotals["subjectExamples"]): PairTotals["subjectExamples"] {
  const seen = new Set<string>();
  return [...examples]
    .sort((a, b) => a.position - b.position)
    .filter((e) => {
      const key = `${e.from}\u0000${e.to}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
