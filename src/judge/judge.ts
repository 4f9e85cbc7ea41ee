import type { Candidate } from "../schema/candidate.js";
import type { Conversation } from "../schema/conversation.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { CoverageVerdict, JunkVerdict, UsefulnessVerdict } from "../schema/verdict.js";

export interface JudgeInput {
  conversation: Conversation;
  golden: GoldenMemory[];
  /** One config's candidates for the conversation, in dry-run order (verdicts refer to their index). */
  candidates: Candidate[];
}

/** Scores one config's candidates for one conversation. LLM judges and the heuristic judge alike. */
export interface Judge {
  /** e.g. `heuristic`, `anthropic:claude-opus-4-1`. */
  id: string;
  kind: "heuristic" | "llm";
  /** What the judge is, in one sentence the report prints as is. */
  description: string;
  /**
   * Judging costs nothing (the heuristic judge): junk is then judged on every candidate of every
   * paired conversation instead of a seeded sample.
   */
  free?: boolean;
  coverage(input: JudgeInput): Promise<CoverageVerdict[]>;
  usefulness(input: JudgeInput): Promise<UsefulnessVerdict[]>;
  /** Classify the sampled candidates (by index) as junk or not. */
  junk(input: JudgeInput, indexes: number[]): Promise<JunkVerdict[]>;
}

/** Usefulness ratings of 4 or 5 count as useful. */
export const USEFUL_RATING = 4;
