import type { Candidate } from "../schema/candidate.js";
import type { Conversation } from "../schema/conversation.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { JudgeInfo } from "../schema/run-log.js";
import type { CoverageVerdict, JunkVerdict, PairwiseVerdict, UsefulnessVerdict } from "../schema/verdict.js";

export interface JudgeInput {
  conversation: Conversation;
  golden: GoldenMemory[];
  /** One config's candidates for the conversation, in dry-run order (verdicts refer to their index). */
  candidates: Candidate[];
}

export interface JudgeOptions {
  /** 0 for the judgement that counts; 1 for the noise repeat, which never reuses a cached answer. */
  repeat?: number;
}

export interface PairwiseInput {
  conversation: Conversation;
  baseline: Candidate[];
  candidate: Candidate[];
}

/** Scores one config's candidates for one conversation. LLM judges and the heuristic judge alike. */
export interface Judge {
  /** e.g. `heuristic`, `anthropic:claude-opus-5-5`. */
  id: string;
  kind: JudgeInfo["kind"];
  /** What the judge is, in one sentence the report prints as is. */
  description: string;
  /**
   * Judging costs nothing (the heuristic judge): junk is then judged on every candidate of every
   * paired conversation instead of a seeded sample.
   */
  free?: boolean;
  coverage(input: JudgeInput, options?: JudgeOptions): Promise<CoverageVerdict[]>;
  usefulness(input: JudgeInput, options?: JudgeOptions): Promise<UsefulnessVerdict[]>;
  /** Classify the sampled candidates (by index) as junk or not. */
  junk(input: JudgeInput, indexes: number[], options?: JudgeOptions): Promise<JunkVerdict[]>;
  /** Compare the two configs' candidates for one conversation; judges that cannot compare leave it out. */
  pairwise?(input: PairwiseInput): Promise<PairwiseVerdict>;
}

/** Usefulness ratings of 4 or 5 count as useful. */
export const USEFUL_RATING = 4;
