import { formatTurn } from "../../extract/prompts/extract-v1.js";
import { estimateTokens } from "../../providers/limiter.js";
import type { Candidate } from "../../schema/candidate.js";
import type { Conversation } from "../../schema/conversation.js";
import type { GoldenMemory } from "../../schema/golden.js";
import { JunkCategorySchema } from "../../schema/verdict.js";

/** Template names and versions; part of every cache key, so editing a prompt means bumping its version. */
export const JUDGE_TEMPLATES = {
  usefulness: "judge-usefulness@1",
  coverage: "judge-coverage@1",
  junk: "judge-junk@1",
  pairwise: "judge-pairwise@1",
} as const;

const JSON_ONLY = "Answer with one JSON object and nothing else.";

export function describeCandidate(candidate: Candidate, index: number | string): string {
  const evidence = candidate.evidence.length > 0 ? `; evidence ${candidate.evidence.join(", ")}` : "; no evidence";
  return `[${index}] ${candidate.text} (${candidate.subject} · ${candidate.predicate} · ${candidate.object}; ${candidate.type}; confidence ${candidate.confidence.toFixed(2)}${evidence})`;
}

/** What the judge may see of a conversation: the turns the shown memories cite, and a token budget for the whole. */
export interface ConversationView {
  cited: ReadonlySet<string>;
  budgetTokens: number;
}

/**
 * The conversation as the judge sees it, turns numbered by id: every turn when they fit the budget,
 * otherwise only the turns cited as evidence, and the prompt says so.
 */
export function conversationBlock(conversation: Conversation, view: ConversationView): string {
  const whole = [`Conversation ${conversation.id}:`, ...conversation.turns.map(formatTurn)].join("\n");
  if (estimateTokens(whole) <= view.budgetTokens) return whole;
  const shown = conversation.turns.filter((turn) => view.cited.has(turn.id));
  return [`Conversation ${conversation.id} (too long to show whole; only the turns cited as evidence, ${shown.length} of ${conversation.turns.length}):`, ...shown.map(formatTurn)].join("\n");
}

export const USEFULNESS_SYSTEM = [
  "You judge memories extracted from a conversation for an agent's long-term memory store.",
  "Rate each memory from 1 to 5: 5 = a specific, durable, well-supported fact the agent should remember;",
  "4 = useful with minor flaws; 3 = borderline; 2 = vague, trivial or poorly supported; 1 = junk or wrong.",
  "Give a one-line reason for each rating.",
  JSON_ONLY,
  '{"ratings": [{"index": 0, "rating": 4, "reason": "..."}]} with exactly one entry per memory index shown.',
].join("\n");

export function memoriesPrompt(conversation: Conversation, view: ConversationView, candidates: Candidate[], indexes: number[]): string {
  return [conversationBlock(conversation, view), "", "Memories to rate:", ...indexes.map((i) => describeCandidate(candidates[i]!, i))].join("\n");
}

export const COVERAGE_SYSTEM = [
  "You check which extracted memories cover each expected (golden) memory of a conversation.",
  "A memory covers a golden memory when it states the same information; paraphrase is allowed, a different or partial fact is not.",
  JSON_ONLY,
  '{"coverage": [{"golden_id": "...", "candidate_indexes": [0, 2]}]} with exactly one entry per golden memory shown; an empty list when none covers it.',
].join("\n");

export function coveragePrompt(conversation: Conversation, view: ConversationView, golden: GoldenMemory[], candidates: Candidate[]): string {
  return [
    conversationBlock(conversation, view),
    "",
    "Golden memories:",
    ...golden.map((memory) => `[${memory.id}] ${memory.text}`),
    "",
    "Extracted memories:",
    ...candidates.map((candidate, index) => describeCandidate(candidate, index)),
  ].join("\n");
}

export const JUNK_SYSTEM = [
  "You find junk among memories extracted from a conversation: syntactically valid but worthless to remember.",
  "Categories: about_assistant (about the assistant itself), restated_instructions (restated system prompt or instructions),",
  "tool_dump (tool output or architecture dump), chit_chat (greeting or chit-chat), over_broad (over-broad generalization),",
  "hallucinated (a profile detail the evidence does not support), no_context (no retrievable context), duplicate, other.",
  JSON_ONLY,
  `{"verdicts": [{"index": 0, "junk": true, "category": "chit_chat", "reason": "..."}]} with exactly one entry per memory index shown; category null when not junk. Categories: ${JunkCategorySchema.options.join(", ")}.`,
].join("\n");

export const PAIRWISE_SYSTEM = [
  "You compare two sets of memories extracted from the same conversation by two extractors, A and B.",
  "Prefer the set that captures more of the durable, useful facts with less junk, duplication and error.",
  JSON_ONLY,
  '{"winner": "A" | "B" | "tie", "reason": "one line"}',
].join("\n");

export function pairwisePrompt(conversation: Conversation, view: ConversationView, first: Candidate[], second: Candidate[]): string {
  const list = (candidates: Candidate[]) => (candidates.length === 0 ? ["(no memories)"] : candidates.map((c, i) => describeCandidate(c, i)));
  return [conversationBlock(conversation, view), "", "Set A:", ...list(first), "", "Set B:", ...list(second)].join("\n");
}
