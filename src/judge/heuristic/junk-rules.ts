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
const INSTRUCTIONS =
  /\b(?:system prompt|instructions?|you are a helpful|as an ai|remember (?:the )?user'?s? preferences)\b/i;
const TOOL_DUMP =
  /[{}[\]<>]|=>|\(\)|```|\bTraceback\b|\b\w+Error\b|\bException\b|\bnull\b|\bundefined\b|https?:\/\/|\w+\.\w+\(/;
const CHIT_CHAT_WORDS = new Set(
  "bed sleep nap tired fine good great okay ok hello hi thank thanks bye lunch coffee break sec minute moment chat question quick".split(
    " ",
  ),
);
const OVER_BROAD =
  /^(?:everything|anything|everyone|everybody|nothing|all kinds of|all sorts of|stuff|things|whatever|lots of things)\b/i;
const GENERIC_OBJECTS = new Set(
  "food music people life work fun movies books sports it that this them stuff things".split(" "),
);
const DEICTIC = /^(?:it|that|this|them|those|these|one|some|something|there|him|her|here|so|too)$/i;
/**
 * Words that make a statement speculative when they come shortly before what it states: the judge's
 * own list, read in a window before the object (no extractor's hedge list: a judge that shares its
 * rules with an extractor grades that extractor's homework).
 */
const SPECULATIVE = new Set([
  "maybe",
  "perhaps",
  "probably",
  "possibly",
  "might",
  "could",
  "would",
  "wonder",
  "wondering",
  "guess",
  "unsure",
  "hopefully",
  "someday",
  "considering",
  "thinking",
]);
/** How many words before the object a speculative word reaches. */
const SPECULATION_WINDOW = 6;

/** Texts at least this similar are the same memory said twice. */
export const DUPLICATE_SIMILARITY = 0.9;

/**
 * The turns a candidate is judged against: those it cites, or, when it cites none of the
 * conversation's turns, every turn the users said: a memory without evidence is judged against the
 * conversation, never called unsupported for the missing field alone.
 */
export function supportingTurns(
  candidate: Candidate,
  conversation: Conversation,
  turns: ReadonlyMap<string, Turn> = turnIndex(conversation),
): { turns: Turn[]; cited: boolean } {
  const cited = [...new Set(candidate.evidence)].flatMap((id) => turns.get(id) ?? []);
  if (cited.length > 0) return { turns: cited, cited: true };
  return {
    turns: conversation.turns.filter(
      (turn) => turn.role !== "assistant" && turn.role !== "system" && turn.speaker.toLowerCase() !== "assistant",
    ),
    cited: false,
  };
}

const turnIndexes = new WeakMap<Conversation, ReadonlyMap<string, Turn>>();

/** A conversation's turns by id, made once per conversation (every candidate of a long one asks). */
export function turnIndex(conversation: Conversation): ReadonlyMap<string, Turn> {
  let index = turnIndexes.get(conversation);
  if (!index) turnIndexes.set(conversation, (index = new Map(conversation.turns.map((turn) => [turn.id, turn]))));
  return index;
}

/** Lowercase words of a text, in order (apostrophes kept inside words). */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w.length > 0);
}

/**
 * True when every clause of the turns that carries the object speculates about it: a question, or a
 * speculative word within a few words before the object ("I think I might like fado", "would love to
 * visit Japan"). Clauses end at sentence ends, dashes, semicolons and commas.
 */
function onlySpeculative(turns: Turn[], objectTokens: ReadonlySet<string>): boolean {
  let carrying = 0;
  for (const turn of turns) {
    for (const clause of turn.text.split(/(?<=[.!?])\s+|\n+|[;—–]|\s-\s|,\s+/)) {
      const list = words(clause);
      const carries = list.flatMap((word, index) =>
        [...tokenSet(word)].some((t) => objectTokens.has(t)) ? [index] : [],
      );
      if (carries.length === 0) continue;
      carrying++;
      const question = clause.trim().endsWith("?");
      const speculative = (at: number) =>
        list.slice(Math.max(0, at - SPECULATION_WINDOW), at).some((word) => SPECULATIVE.has(word));
      if (!question && !speculative(carries[0]!)) return false;
    }
  }
  return carrying > 0;
}

/**
 * The first junk rule each candidate of a conversation trips, or undefined, in order: a candidate
 * repeating an earlier one is a duplicate. Turns and texts are indexed once per conversation.
 */
export function findJunkAll(conversation: Conversation, candidates: Candidate[]): Array<JunkFinding | undefined> {
  const turns = turnIndex(conversation);
  const texts = candidates.map((c) => tokenSet(c.text));
  const earlier = new SimilarityIndex(texts, DUPLICATE_SIMILARITY);
  return candidates.map((candidate, i) => {
    const duplicate = earlier.firstSimilar(texts[i]!) !== undefined;
    earlier.add(i, texts[i]!);
    return junkRule(candidate, supportingTurns(candidate, conversation, turns).turns, duplicate);
  });
}

/** The first junk rule one candidate trips, given the candidates before it. */
export function findJunk(
  candidate: Candidate,
  conversation: Conversation,
  earlier: Candidate[],
): JunkFinding | undefined {
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
    return { category: "hallucinated", reason: "no turn of the conversation supports it" };
  }
  // The speaker's own name counts as said: "Alice's sister Maya" paraphrases "my sister Maya".
  const evidenceTokens = new Set(turns.flatMap((turn) => [...tokenSet(turn.text), ...tokenSet(turn.speaker)]));
  const supported = [...objectTokens].filter((t) => evidenceTokens.has(t)).length;
  if (supported / objectTokens.size < 0.5) {
    return { category: "hallucinated", reason: "its object is not in the turns that support it" };
  }
  if (onlySpeculative(turns, objectTokens)) {
    return { category: "hallucinated", reason: "the turns only speculate about it" };
  }
  if (duplicate) return { category: "duplicate", reason: "repeats another memory of the conversation" };
  return undefined;
}
