import { turnDate } from "../../extract/prompts/extract-v2.js";
import { estimateTokens } from "../../providers/limiter.js";
import type { TextPart } from "../../providers/provider.js";
import type { Candidate } from "../../schema/candidate.js";
import type { Conversation, Turn } from "../../schema/conversation.js";
import type { GoldenMemory } from "../../schema/golden.js";

/**
 * Template names and versions; part of every cache key, so editing a prompt means bumping its version.
 * Version 2: one system prompt for every task, the conversation first (a prefix the tasks share),
 * reasons before scores, anchored scales with examples, coverage scored 0 / 1 / 2.
 */
export const JUDGE_TEMPLATES = {
  /** Usefulness of a side's memories and their coverage of the golden memories, in one call. */
  assess: "judge-assess@2",
  junk: "judge-junk@2",
  pairwise: "judge-pairwise@2",
} as const;

/** Below this many tokens a prefix is not worth a cache breakpoint (the providers' smallest cacheable prompt). */
export const CACHE_MIN_TOKENS = 1024;

const USEFULNESS_SCALE = [
  "Usefulness, 1 to 5, for an agent that will recall the memory in a later conversation:",
  '5 = specific, durable and stated in the turns. Example: "Alice works at Stripe as a backend engineer" when Alice says exactly that.',
  '4 = useful, with a minor flaw (a detail lost, slightly loose wording). Example: "Alice works at Stripe" when she also named her role.',
  '3 = borderline: true but of doubtful long-term value. Example: "Alice is busy this week".',
  '2 = vague, trivial or weakly supported. Example: "Alice likes things", or a guess the turns only hint at.',
  '1 = junk or wrong: about the assistant, chit-chat, or contradicted or unsupported by the turns. Example: "The assistant can write code".',
].join("\n");

const COVERAGE_SCALE = [
  "Coverage of each golden memory (a fact the extractor should have found; its alternatives are other wordings of the same fact), 0 to 2:",
  "2 = one or more of the memories above state the same information (paraphrase is fine). List them.",
  '1 = a memory states part of it, or a less specific version. Example: golden "Alice works at Stripe as a backend engineer", memory "Alice works in tech". List it.',
  "0 = no memory above states it; list none.",
].join("\n");

const JUNK_CATEGORIES = [
  'about_assistant: about the assistant itself ("The assistant prefers short answers")',
  'restated_instructions: the system prompt or instructions restated ("The user wants answers in JSON")',
  'tool_dump: tool output or an architecture dump ("Search returned 12 results from the index")',
  'chit_chat: a greeting or small talk ("Alice said hello")',
  'over_broad: a sweeping generalization from one remark ("Alice hates all food" from "I did not like that soup")',
  "hallucinated: a profile detail the turns do not support (a job, a city or a relative nobody mentioned)",
  'no_context: cannot be understood or retrieved later ("He said it was fine")',
  "duplicate: restates another memory shown here",
  "other: worthless for another reason (say which)",
].join("\n");

/**
 * The same for every task and every conversation: the role and every task's scale, so that a
 * provider's prompt cache keeps it, and the conversation that follows it, across the tasks of one
 * conversation (and the system prompt across all of them). The task itself comes after the conversation.
 */
export const JUDGE_SYSTEM = [
  "You evaluate memories that an extractor took from a conversation for an agent's long-term memory store.",
  "You are shown the conversation first, then one task about it, using one of the scales below. Follow the scale exactly.",
  "For every verdict, write your reason first (one or two sentences, citing the turns you relied on), then your score.",
  "Judge each memory on its own against the conversation: what the turns say, not what is plausible.",
  "Answer with one JSON object in the shape the task gives, and nothing else.",
  "",
  USEFULNESS_SCALE,
  "",
  COVERAGE_SCALE,
  "",
  "Junk: a memory that is syntactically valid but worthless to remember, in one of these categories:",
  JUNK_CATEGORIES,
  "",
  "Pairwise: of two memory sets A and B, prefer the one that captures more of the durable, useful facts with less junk,",
  "duplication and error; the order they are shown in means nothing.",
].join("\n");

/** A memory as the judge sees it: its text and fields and the turns it cites, never the extractor's confidence. */
export function describeCandidate(
  candidate: Candidate,
  index: number | string,
  knownTurns: ReadonlySet<string>,
): string {
  const cited = candidate.evidence.filter((id) => knownTurns.has(id));
  const evidence =
    cited.length > 0 ? `cites ${cited.join(", ")}` : "cites no turn: judge it against the whole conversation";
  return `[${index}] ${candidate.text} (${candidate.subject} · ${candidate.predicate} · ${candidate.object}; ${candidate.type}; ${evidence})`;
}

/** Whether every memory shown cites a turn of the conversation. */
export function allCiteTurns(candidates: Candidate[], knownTurns: ReadonlySet<string>): boolean {
  return candidates.every((candidate) => candidate.evidence.some((id) => knownTurns.has(id)));
}

/** What the judge may see of a conversation: the turns the shown memories cite, and a token budget for the whole. */
export interface ConversationView {
  cited: ReadonlySet<string>;
  budgetTokens: number;
  /** A memory shown cites no turn: the whole conversation is shown even past the budget. */
  whole?: boolean;
}

/**
 * Turns as compactly as the judge can read them: `[t4] Alice: …`, the role only where the speaker's
 * name does not say it, and a date line where the date changes. The conversation is most of what
 * the judge reads, so every token per turn counts.
 */
export function judgeTurns(turns: readonly Turn[]): string[] {
  const lines: string[] = [];
  let date: string | undefined;
  for (const turn of turns) {
    const day = turn.ts !== undefined && turn.ts.trim() !== "" ? turnDate(turn.ts) : undefined;
    if (day !== undefined && day !== date) lines.push(`(${day})`);
    date = day ?? date;
    const role = turn.role && turn.role !== "user" && turn.speaker.toLowerCase() !== turn.role ? ` (${turn.role})` : "";
    lines.push(`[${turn.id}] ${turn.speaker}${role}: ${turn.text}`);
  }
  return lines;
}

/**
 * The conversation as the judge sees it, turns numbered by id: every turn when they fit the budget
 * (or a memory cites none), otherwise only the turns cited as evidence, and the prompt says so.
 */
export function conversationBlock(conversation: Conversation, view: ConversationView): string {
  const whole = [`Conversation ${conversation.id}:`, ...judgeTurns(conversation.turns)].join("\n");
  if (view.whole || estimateTokens(whole) <= view.budgetTokens) return whole;
  const shown = conversation.turns.filter((turn) => view.cited.has(turn.id));
  return [
    `Conversation ${conversation.id} (too long to show whole; only the turns cited as evidence, ${shown.length} of ${conversation.turns.length}):`,
    ...judgeTurns(shown),
  ].join("\n");
}

/** The user message: the conversation first, marked as a cache breakpoint when long enough, then the task. */
export function judgeMessage(conversation: string, task: string): TextPart[] {
  const cache = estimateTokens(JUDGE_SYSTEM) + estimateTokens(conversation) >= CACHE_MIN_TOKENS;
  return [{ text: conversation, ...(cache ? { cache: true } : {}) }, { text: task }];
}

/**
 * The assessment of one side's memories of a conversation: the usefulness of each memory shown, and,
 * when golden memories are given, which of those memories cover each of them.
 */
export function assessTask(
  candidates: Candidate[],
  indexes: number[],
  golden: GoldenMemory[],
  knownTurns: ReadonlySet<string>,
): string {
  const lines = [
    "Task: rate the usefulness of each memory below on the usefulness scale.",
    "",
    "Memories:",
    ...indexes.map((i) => describeCandidate(candidates[i]!, i, knownTurns)),
  ];
  if (golden.length > 0) {
    lines.push(
      "",
      "Then score, on the coverage scale, which of these memories cover each golden memory below.",
      "",
      "Golden memories:",
    );
    for (const memory of golden) {
      const alternatives =
        memory.alternatives && memory.alternatives.length > 0
          ? ` (alternatives: ${memory.alternatives.map((a) => JSON.stringify(a)).join("; ")})`
          : "";
      lines.push(`[${memory.id}] ${memory.text}${alternatives}`);
    }
  }
  lines.push(
    "",
    'Answer: {"memories": [{"index": 0, "reason": "...", "rating": 4}], "coverage": [{"golden_id": "...", "reason": "...", "score": 2, "candidate_indexes": [0]}]}',
    `with exactly one "memories" entry per memory index shown${golden.length > 0 ? ' and one "coverage" entry per golden memory shown' : ' and "coverage": []'}.`,
  );
  return lines.join("\n");
}

export function junkTask(candidates: Candidate[], indexes: number[], knownTurns: ReadonlySet<string>): string {
  return [
    "Task: decide whether each memory below is junk, and in which category.",
    "",
    "Memories:",
    ...indexes.map((i) => describeCandidate(candidates[i]!, i, knownTurns)),
    "",
    'Answer: {"verdicts": [{"index": 0, "reason": "...", "junk": true, "category": "chit_chat"}]} with exactly one entry per memory index shown; category null when not junk.',
  ].join("\n");
}

export function pairwiseTask(first: Candidate[], second: Candidate[], knownTurns: ReadonlySet<string>): string {
  const list = (candidates: Candidate[]) =>
    candidates.length === 0 ? ["(no memories)"] : candidates.map((c, i) => describeCandidate(c, i, knownTurns));
  return [
    "Task: two extractors, A and B, took these memory sets from the conversation. Which set would serve the agent better (pairwise)?",
    "",
    "Set A:",
    ...list(first),
    "",
    "Set B:",
    ...list(second),
    "",
    'Answer: {"reason": "...", "winner": "A" | "B" | "tie"}',
  ].join("\n");
}
