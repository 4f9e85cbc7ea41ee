import type { Candidate } from "../../schema/candidate.js";
import type { Conversation, Turn } from "../../schema/conversation.js";
import type { JunkCategory } from "../../schema/verdict.js";
import { SimilarityIndex } from "../../text/similarity-index.js";
import { tokenSet } from "../../text/tokens.js";

export interface JunkFinding {
  category: JunkCategory;
  reason: string;
}

const ASSISTANT_SUBJECT = /^(?:the )?(?:assistant|ai|bot|chatbot|model|you|system)$/i;
const ASSISTANT_TEXT = /\b(?:the assistant|an ai|ai assistant|language model|chatbot)\b/i;
const INSTRUCTIONS = /\b(?:system prompt|instructions?|you are a helpful|as an ai|remember (?:the )?user'?s? preferences)\b/i;
const TOOL_DUMP = /[{}[\]<>]|=>|\(\)|```|\bTraceback\b|\b\w+Error\b|\bException\b|\bnull\b|\bundefined\b|https?:\/\/|\w+\.\w+\(/;
const CHIT_CHAT_WORDS = new Set(
  "bed sleep nap tired fine good great okay ok hello hi thank thanks bye lunch coffee break sec minute moment chat question quick"
    .split(" "),
);
const OVER_BROAD = /^(?:everything|anything|everyone|everybody|nothing|all kinds of|all sorts of|stuff|things|whatever|lots of things)\b/i;
const GENERIC_OBJECTS = new Set("food music people life work fun movies books sports it that this them stuff things".split(" "));
const DEICTIC = /^(?:it|that|this|them|those|these|one|some|something|there|him|her|here|so|too)$/i;
const HEDGE_WORDS = /\b(?:i think|i guess|i suppose|maybe|perhaps|might|not sure|kind of|kinda|sort of|probably|possibly|someday|one day|i wonder)\b/i;

/** Texts at least this similar are the same memory said twice. */
export const DUPLICATE_SIMILARITY = 0.9;

function evidenceTurns(candidate: Candidate, turns: ReadonlyMap<string, Turn>): Turn[] {
  return [...new Set(candidate.evidence)].flatMap((id) => turns.get(id) ?? []);
}

/**
 * True when every clause of the evidence that carries the object hedges it ("I think I might like
 * sushi"): the user never stated it plainly.
 */
function onlyHedged(turns: Turn[], objectTokens: ReadonlySet<string>): boolean {
  let carrying = 0;
  for (const turn of turns) {
    for (const clause of turn.text.split(/(?<=[.!?])\s+|\n+|[;—–]|,?\s+(?:and|but)\s+/)) {
      const tokens = tokenSet(clause);
      if (![...objectTokens].some((t) => tokens.has(t))) continue;
      carrying++;
      if (!HEDGE_WORDS.test(clause)) return false;
    }
  }
  return carrying > 0;
}

/**
 * The first junk rule each candidate of a conversation trips, or undefined, in order: a candidate
 * repeating an earlier one is a duplicate. Turns and texts are indexed once per conversation.
 */
export function findJunkAll(conversation: Conversation, candidates: Candidate[]): Array<JunkFinding | undefined> {
  const turns = new Map(conversation.turns.map((turn) => [turn.id, turn]));
  const texts = candidates.map((c) => tokenSet(c.text));
  const earlier = new SimilarityIndex(texts, DUPLICATE_SIMILARITY);
  return candidates.map((candidate, i) => {
    const duplicate = earlier.firstSimilar(texts[i]!) !== undefined;
    earlier.add(i, texts[i]!);
    return junkRule(candidate, evidenceTurns(candidate, turns), duplicate);
  });
}

/** The first junk rule one candidate trips, given the candidates before it. */
export function findJunk(candidate: Candidate, conversation: Conversation, earlier: Candidate[]): JunkFinding | undefined {
  return findJunkAll(conversation, [...earlier, candidate]).at(-1);
}

/**
 * Rules are checked from the most certain (about the assistant, instructions, tool output) to the
 * most interpretive (unsupported by evidence).
 */
function junkRule(candidate: Candidate, turns: Turn[], duplicate: boolean): JunkFinding | undefined {
  const object = candidate.object.trim();
  const objectTokens = tokenSet(object);

  if (ASSISTANT_SUBJECT.test(candidate.subject.trim()) || ASSISTANT_TEXT.test(candidate.text)) {
    return { category: "about_assistant", reason: "about the assistant, not the user" };
  }
  if (turns.length > 0 && turns.every((turn) => turn.role === "assistant")) {
    return { category: "about_assistant", reason: "only assistant turns support it" };
  }
  if (INSTRUCTIONS.test(candidate.text) || turns.some((turn) => turn.role === "system")) {
    return { category: "restated_instructions", reason: "restates the system prompt or instructions" };
  }
  if (TOOL_DUMP.test(object) || TOOL_DUMP.test(candidate.text)) {
    return { category: "tool_dump", reason: "carries code, markup or tool output" };
  }
  if (object === "" || DEICTIC.test(object) || objectTokens.size === 0) {
    return { category: "no_context", reason: `object "${object}" means nothing out of context` };
  }
  if ([...objectTokens].every((t) => CHIT_CHAT_WORDS.has(t))) {
    return { category: "chit_chat", reason: "small talk, nothing to remember" };
  }
  if (OVER_BROAD.test(object) || (objectTokens.size === 1 && GENERIC_OBJECTS.has([...objectTokens][0]!))) {
    return { category: "over_broad", reason: `"${object}" is too broad to retrieve anything by` };
  }
  if (turns.length === 0) {
    return { category: "hallucinated", reason: "no evidence turn in the conversation supports it" };
  }
  // The speaker's own name counts as said: "Alice's sister Maya" paraphrases "my sister Maya".
  const evidenceTokens = new Set(turns.flatMap((turn) => [...tokenSet(turn.text), ...tokenSet(turn.speaker)]));
  const supported = [...objectTokens].filter((t) => evidenceTokens.has(t)).length;
  if (supported / objectTokens.size < 0.5) {
    return { category: "hallucinated", reason: "its object is not in the evidence turns" };
  }
  if (onlyHedged(turns, objectTokens)) {
    return { category: "hallucinated", reason: "the evidence only hedges it" };
  }
  if (duplicate) return { category: "duplicate", reason: "repeats another memory of the conversation" };
  return undefined;
}
