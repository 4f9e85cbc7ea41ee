import type { Candidate } from "../../schema/candidate.js";
import type { Conversation } from "../../schema/conversation.js";
import type { GoldenMemory } from "../../schema/golden.js";
import type { CoverageVerdict } from "../../schema/verdict.js";
import type { HeuristicJudgeConfig } from "../../schema/bench-config.js";
import { dice, tokenSet } from "../../text/tokens.js";

/** Tokens of the speakers' names: they say who a memory is about, not which fact it is. */
function speakerTokens(conversation: Conversation): Set<string> {
  const names = new Set<string>();
  for (const turn of conversation.turns) if (turn.role !== "assistant") for (const token of tokenSet(turn.speaker)) names.add(token);
  return names;
}

function without(tokens: Set<string>, drop: Set<string>): Set<string> {
  return new Set([...tokens].filter((t) => !drop.has(t)));
}

/**
 * Lexical similarity of a golden memory and a candidate: the Dice coefficient of their content
 * tokens, subject names left out; 0 unless the candidate's object shares a word with the golden text,
 * so "likes hiking" never covers "likes jazz".
 */
export function coverageScore(goldenText: string, goldenSubject: string | undefined, candidate: Candidate, speakers: Set<string>): number {
  // Only this pair's subjects are left out: "Chioma" is a subject elsewhere but the object here.
  const names = new Set([...speakers, ...tokenSet(goldenSubject ?? ""), ...tokenSet(candidate.subject)]);
  const golden = without(tokenSet(goldenText), names);
  const candidateTokens = without(tokenSet(candidate.text), names);
  const objectTokens = without(tokenSet(candidate.object), names);
  const objectHit = objectTokens.size === 0 ? false : [...objectTokens].some((t) => golden.has(t));
  return objectHit ? dice(golden, candidateTokens) : 0;
}

/** The best score over the memory's text and its alternative wordings: any of them covers it. */
export function bestCoverageScore(memory: GoldenMemory, candidate: Candidate, speakers: Set<string>): number {
  const wordings = [memory.text, ...(memory.alternatives ?? [])];
  return Math.max(...wordings.map((text) => coverageScore(text, memory.subject, candidate, speakers)));
}

/**
 * For each golden memory, the candidates that cover it: similarity at or above `coverage_threshold`,
 * or at or above the lower `evidence_coverage_threshold` when their evidence turns overlap.
 */
export function judgeCoverageLexically(
  conversation: Conversation,
  golden: GoldenMemory[],
  candidates: Candidate[],
  settings: HeuristicJudgeConfig,
): CoverageVerdict[] {
  const speakers = speakerTokens(conversation);
  return golden.map((memory) => {
    const evidence = new Set(memory.evidence);
    let best = 0;
    let bestOverlaps = false;
    const covering: number[] = [];
    candidates.forEach((candidate, index) => {
      const score = bestCoverageScore(memory, candidate, speakers);
      const overlaps = candidate.evidence.some((turnId) => evidence.has(turnId));
      const threshold = overlaps ? settings.evidence_coverage_threshold : settings.coverage_threshold;
      if (score >= threshold) covering.push(index);
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
