import type { Candidate } from "../../schema/candidate.js";
import type { Conversation } from "../../schema/conversation.js";
import type { GoldenMemory } from "../../schema/golden.js";
import type { CoverageVerdict } from "../../schema/verdict.js";
import type { HeuristicJudgeConfig } from "../../schema/bench-config.js";
import { tokenSet } from "../../text/tokens.js";

/**
 * A word found in more of a conversation's golden memories than this says what kind of fact a memory
 * is, not which one ("pottery class 1234", "pottery class 57"): like a speaker's name, it alone never
 * lets a candidate's object cover a memory. Conversations with fewer memories have no such words.
 */
export const COMMON_WORD_MEMORIES = 16;

/** A coverage record lists at most this many covering candidates, the best first; `candidates_covering` counts them all. */
export const COVERING_LISTED = 20;

/** Tokens of the speakers' names: they say who a memory is about, not which fact it is. */
export function speakerTokens(conversation: Conversation): ReadonlySet<string> {
  const names = new Set<string>();
  for (const turn of conversation.turns)
    if (turn.role !== "assistant") for (const token of tokenSet(turn.speaker)) names.add(token);
  return names;
}

const NO_WORDS: ReadonlySet<string> = new Set();

/**
 * How much of a golden memory a candidate carries: the share of the golden memory's content tokens
 * found in the candidate (its text, predicate and object), names of the pair's subjects and the
 * speakers left out, pronouns and contractions being stopwords, so "Alice loves hiking" and "I love
 * hiking" say the same. A fragment carrying a third of the memory scores a third. 0 unless the
 * candidate's object shares a word with the golden memory, so "likes hiking" never covers "likes jazz";
 * a word of `common` (see COMMON_WORD_MEMORIES) counts only for a memory that has no other word.
 * Computed over the cached token sets as they are, without a set made per pair: a run scores every
 * reachable pair of every conversation twice (the judge's cheap match, then the field alignment).
 */
export function coverageScore(
  goldenText: string,
  goldenSubject: string | undefined,
  candidate: Candidate,
  speakers: ReadonlySet<string>,
  common: ReadonlySet<string> = NO_WORDS,
): number {
  // Only this pair's subjects are left out: "Chioma" is a subject elsewhere but the object here.
  const goldenNames = tokenSet(goldenSubject ?? "");
  const candidateNames = tokenSet(candidate.subject);
  const named = (token: string) => speakers.has(token) || goldenNames.has(token) || candidateNames.has(token);
  // A word that tells the memory from the others: neither the speakers' nor its own subject's name, nor common.
  const tells = (token: string) => !speakers.has(token) && !goldenNames.has(token) && !common.has(token);
  const golden = tokenSet(goldenText);
  let goldenSize = 0;
  let telling = 0;
  for (const token of golden) {
    if (!named(token)) goldenSize++;
    if (common.size > 0 && tells(token)) telling++;
  }
  if (goldenSize === 0) return 0;
  // The gate: the candidate's object shares a telling word with the memory, or any of its words when it has none.
  const gateWord = (token: string) => golden.has(token) && !named(token) && (telling === 0 || tells(token));
  const object = tokenSet(candidate.object);
  let opens = false;
  for (const token of object) if ((opens = gateWord(token))) break;
  if (!opens) return 0;
  const text = tokenSet(candidate.text);
  const predicate = tokenSet(candidate.predicate);
  let shared = 0;
  for (const token of golden)
    if (!named(token) && (text.has(token) || predicate.has(token) || object.has(token))) shared++;
  return shared / goldenSize;
}

/** The best score over the memory's text and its alternative wordings: any of them covers it. */
export function bestCoverageScore(
  memory: GoldenMemory,
  candidate: Candidate,
  speakers: ReadonlySet<string>,
  common: ReadonlySet<string> = NO_WORDS,
): number {
  const wordings = [memory.text, ...(memory.alternatives ?? [])];
  return Math.max(...wordings.map((text) => coverageScore(text, memory.subject, candidate, speakers, common)));
}

/** Words found in more than COMMON_WORD_MEMORIES of the golden memories (any wording of each counted once). */
export function commonWords(golden: GoldenMemory[]): ReadonlySet<string> {
  if (golden.length <= COMMON_WORD_MEMORIES) return NO_WORDS;
  const memories = new Map<string, number>();
  for (const memory of golden) {
    const words = new Set([memory.text, ...(memory.alternatives ?? [])].flatMap((text) => [...tokenSet(text)]));
    for (const word of words) memories.set(word, (memories.get(word) ?? 0) + 1);
  }
  return new Set([...memories].filter(([, count]) => count > COMMON_WORD_MEMORIES).map(([word]) => word));
}

/**
 * Which candidates can cover which golden memory. A candidate scores only when its object shares a
 * telling word with the memory (a common word only when the memory has no other), so candidates are
 * indexed by object word and each memory is looked up by its telling words: a memory is compared with
 * the candidates that can score, not with all of them, and facts that share most of their words
 * ("Krakow district 57", "Krakow district 58") are not compared with each other at all.
 */
export class CoverageIndex {
  readonly common: ReadonlySet<string>;
  private readonly byObjectToken = new Map<string, number[]>();

  constructor(
    golden: GoldenMemory[],
    candidates: Candidate[],
    private readonly speakers: ReadonlySet<string>,
  ) {
    this.common = commonWords(golden);
    candidates.forEach((candidate, index) => {
      for (const token of tokenSet(candidate.object)) {
        let list = this.byObjectToken.get(token);
        if (!list) this.byObjectToken.set(token, (list = []));
        list.push(index);
      }
    });
  }

  /** Indexes, in ascending order, of the candidates that may cover `memory`; the others score 0. */
  reachable(memory: GoldenMemory): number[] {
    const reachable = new Set<number>();
    const subject = tokenSet(memory.subject ?? "");
    // A telling word: neither a speaker's name nor the memory's subject's, nor common.
    const tells = (token: string) => !this.speakers.has(token) && !subject.has(token) && !this.common.has(token);
    for (const text of [memory.text, ...(memory.alternatives ?? [])]) {
      const words = tokenSet(text);
      // Looked up by its telling words, or by all of them when it has none (or no word is common).
      let byTelling = false;
      if (this.common.size > 0) for (const token of words) if ((byTelling = tells(token))) break;
      for (const token of words) {
        if (byTelling && !tells(token)) continue;
        for (const index of this.byObjectToken.get(token) ?? []) reachable.add(index);
      }
    }
    return [...reachable].sort((a, b) => a - b);
  }
}

/** At most COVERING_LISTED of the covering candidates, the best-scoring (the lower index on a tie), in ascending order. */
function listed(covering: Array<{ index: number; score: number }>): number[] {
  const kept =
    covering.length <= COVERING_LISTED
      ? covering
      : [...covering].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, COVERING_LISTED);
  return kept.map((c) => c.index).sort((a, b) => a - b);
}

/**
 * For each golden memory, the candidates that cover it: carrying at least `coverage_threshold` of its
 * content, or at least the lower `evidence_coverage_threshold` when their evidence turns overlap.
 * A record lists at most COVERING_LISTED of them and counts them all when there are more.
 */
export function judgeCoverageLexically(
  conversation: Conversation,
  golden: GoldenMemory[],
  candidates: Candidate[],
  settings: HeuristicJudgeConfig,
): CoverageVerdict[] {
  const speakers = speakerTokens(conversation);
  const index = new CoverageIndex(golden, candidates, speakers);
  return golden.map((memory) => {
    const evidence = new Set(memory.evidence);
    let best = 0;
    let bestOverlaps = false;
    const covering: Array<{ index: number; score: number }> = [];
    for (const candidateIndex of index.reachable(memory)) {
      const candidate = candidates[candidateIndex]!;
      const score = bestCoverageScore(memory, candidate, speakers, index.common);
      const overlaps = candidate.evidence.some((turnId) => evidence.has(turnId));
      const threshold = overlaps ? settings.evidence_coverage_threshold : settings.coverage_threshold;
      if (score > 0 && score >= threshold) covering.push({ index: candidateIndex, score });
      if (score > best || (score === best && overlaps && !bestOverlaps)) {
        best = score;
        bestOverlaps = overlaps;
      }
    }
    const covered = covering.length > 0;
    return {
      golden_id: memory.id,
      covered,
      candidate_indexes: listed(covering),
      ...(covering.length > COVERING_LISTED ? { candidates_covering: covering.length } : {}),
      score: Math.round(best * 1000) / 1000,
      method: !covered ? "none" : bestOverlaps ? "evidence+lexical" : "lexical",
    };
  });
}
