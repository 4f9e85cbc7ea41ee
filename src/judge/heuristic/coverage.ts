import type { Candidate } from "../../schema/candidate.js";
import type { Conversation } from "../../schema/conversation.js";
import type { GoldenMemory } from "../../schema/golden.js";
import type { CoverageVerdict } from "../../schema/verdict.js";
import type { HeuristicJudgeConfig } from "../../schema/bench-config.js";
import { tokenSet } from "../../text/tokens.js";

/** Tokens of the speakers' names: they say who a memory is about, not which fact it is. */
export function speakerTokens(conversation: Conversation): ReadonlySet<string> {
  const names = new Set<string>();
  for (const turn of conversation.turns) if (turn.role !== "assistant") for (const token of tokenSet(turn.speaker)) names.add(token);
  return names;
}

function without(tokens: ReadonlySet<string>, drop: ReadonlySet<string>): Set<string> {
  return new Set([...tokens].filter((t) => !drop.has(t)));
}

/**
 * How much of a golden memory a candidate carries: the share of the golden memory's content tokens
 * found in the candidate (its text, predicate and object), names of the pair's subjects and the
 * speakers left out, pronouns and contractions being stopwords, so "Alice loves hiking" and "I love
 * hiking" say the same. A fragment carrying a third of the memory scores a third. 0 unless the
 * candidate's object shares a word with the golden memory, so "likes hiking" never covers "likes jazz".
 */
export function coverageScore(goldenText: string, goldenSubject: string | undefined, candidate: Candidate, speakers: ReadonlySet<string>): number {
  // Only this pair's subjects are left out: "Chioma" is a subject elsewhere but the object here.
  const names = new Set([...speakers, ...tokenSet(goldenSubject ?? ""), ...tokenSet(candidate.subject)]);
  const golden = without(tokenSet(goldenText), names);
  if (golden.size === 0) return 0;
  const objectTokens = without(tokenSet(candidate.object), names);
  if (![...objectTokens].some((t) => golden.has(t))) return 0;
  const carried = new Set([...tokenSet(candidate.text), ...tokenSet(candidate.predicate), ...objectTokens]);
  let shared = 0;
  for (const token of golden) if (carried.has(token)) shared++;
  return shared / golden.size;
}

/** The best score over the memory's text and its alternative wordings: any of them covers it. */
export function bestCoverageScore(memory: GoldenMemory, candidate: Candidate, speakers: ReadonlySet<string>): number {
  const wordings = [memory.text, ...(memory.alternatives ?? [])];
  return Math.max(...wordings.map((text) => coverageScore(text, memory.subject, candidate, speakers)));
}

/**
 * A candidate scores only when its object shares a word with the golden memory: candidates indexed
 * by object word, so each memory is compared with those that can score, not with all of them.
 * Returns, for a memory, the indexes of those candidates in ascending order.
 */
export function objectWordIndex(candidates: Candidate[]): (memory: GoldenMemory) => number[] {
  const byObjectToken = new Map<string, number[]>();
  candidates.forEach((candidate, index) => {
    for (const token of tokenSet(candidate.object)) {
      let list = byObjectToken.get(token);
      if (!list) byObjectToken.set(token, (list = []));
      list.push(index);
    }
  });
  return (memory) => {
    const wordings = [memory.text, ...(memory.alternatives ?? [])];
    const reachable = new Set(wordings.flatMap((text) => [...tokenSet(text)].flatMap((token) => byObjectToken.get(token) ?? [])));
    return [...reachable].sort((a, b) => a - b);
  };
}

/**
 * For each golden memory, the candidates that cover it: carrying at least `coverage_threshold` of its
 * content, or at least the lower `evidence_coverage_threshold` when their evidence turns overlap.
 */
export function judgeCoverageLexically(
  conversation: Conversation,
  golden: GoldenMemory[],
  candidates: Candidate[],
  settings: HeuristicJudgeConfig,
): CoverageVerdict[] {
  const speakers = speakerTokens(conversation);
  const reachableFrom = objectWordIndex(candidates);
  return golden.map((memory) => {
    const evidence = new Set(memory.evidence);
    let best = 0;
    let bestOverlaps = false;
    const covering: number[] = [];
    reachableFrom(memory).forEach((index) => {
      const candidate = candidates[index]!;
      const score = bestCoverageScore(memory, candidate, speakers);
      const overlaps = candidate.evidence.some((turnId) => evidence.has(turnId));
      const threshold = overlaps ? settings.evidence_coverage_threshold : settings.coverage_threshold;
      if (score > 0 && score >= threshold) covering.push(index);
      if (score > best || (score === best && overlaps && !bestOverlaps)) {
        best = score;
        bestOverlaps = overlaps;
      }
    });
    const covered = covering.length > 0;
    return {
      golden_id: memory.id,
      covered,
      candidate_indexes: covering,
      score: Math.round(best * 1000) / 1000,
      method: !covered ? "none" : bestOverlaps ? "evidence+lexical" : "lexical",
    };
  });
}
