import type { Candidate } from "../../schema/candidate.js";
import type { Conversation, Turn } from "../../schema/conversation.js";
import { tokenSet } from "../../text/tokens.js";
import { supportingTurns } from "./junk-rules.js";

/**
 * What makes a memory that is not junk less useful, by the judge's own rules: what a later reader of
 * the memory needs (a statement that stands alone, is still true, says something, and says one thing).
 * None of these reads the extractor's confidence (calibration is measured against the verdicts) or
 * shares a rule list with an extractor.
 */

export interface Deduction {
  /** Points off the top rating of 5; 2 or more makes the memory not useful. */
  points: number;
  reason: string;
}

/** First-person words: a memory about a named person that says "my" was not rewritten to stand alone. */
const FIRST_PERSON = new Set(["i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"]);
/** A correction right after a value, a few punctuation marks at most between: "I'm 28 — wait no, 29", "San Jose, I mean Sacramento". */
const CORRECTION_AFTER =
  /^[\s,.;:!—–-]{0,6}(?:wait,?\s+no\b|no,?\s+wait\b|i\s+mean\b|i\s+meant\b|sorry,?\s+i\s+meant\b|oops\b|scratch\s+that\b|actually,?\s+no\b)/i;
/** A memory that itself negates: "does not drink alcohol" is not contradicted by a later "not drink alcohol". */
const NEGATIVE = /\b(?:not|never|no longer|dislikes?|avoids?|hates?)\b|n['’]t\b/i;
const CLAUSE_JOINER = /\s(?:but|because|although|though|while|whereas|so that|which)\s/i;
const DEMONSTRATIVE = /^(?:this|that|these|those)\s+\S/i;
const MAX_ATOMIC_OBJECT_WORDS = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function letterOrDigit(codePoint: number | undefined): boolean {
  return codePoint !== undefined && LETTER_OR_DIGIT.test(String.fromCodePoint(codePoint));
}

/** The code point that ends just before `index`, a surrogate pair read whole. */
function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(index - 2);
  }
  return low;
}

/**
 * Where each occurrence of `value` in `text` ends, matched case-insensitively as a whole value (no
 * letter or digit right before or after it). The same matches as one pattern with look-arounds for
 * letters and digits, whose Unicode classes cost a millisecond to compile per value: the edges are
 * tested here instead, and a rejected start moves on by one code point as the pattern's search would.
 */
export function wholeValueEnds(text: string, value: string): number[] {
  const pattern = new RegExp(escapeRegExp(value), "giu");
  const ends: number[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!letterOrDigit(codePointBefore(text, start)) && !letterOrDigit(text.codePointAt(end))) {
      ends.push(end);
      continue;
    }
    pattern.lastIndex = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
  }
  return ends;
}

function lowerWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.split("'")[0]!);
}

/**
 * Where the conversation takes the memory back: right after the value in the turn that states it
 * ("I'm 28 — wait no, 29"), or in a later turn that names it negated ("Ella, not Emma").
 */
export function supersededBy(candidate: Candidate, conversation: Conversation, turns: Turn[]): string | undefined {
  const object = candidate.object.trim();
  if (object.length < 2 || NEGATIVE.test(candidate.text)) return undefined;
  const needle = object.toLowerCase();
  const { lower, position, negating: sayingNot } = turnTexts(conversation);
  const index = (turn: Turn) => position.get(turn) ?? -1;
  // Most memories are never taken back: a plain substring test rules them out before any pattern is built.
  const stating = turns.filter((turn) => lower[index(turn)]?.includes(needle));
  const from = Math.min(...turns.map(index).filter((i) => i >= 0), conversation.turns.length);
  const later = sayingNot
    .slice(firstAfter(sayingNot, from))
    .filter((i) => lower[i]!.includes(needle))
    .map((i) => conversation.turns[i]!);
  if (stating.length === 0 && later.length === 0) return undefined;
  for (const turn of stating) {
    for (const end of wholeValueEnds(turn.text, object)) {
      if (CORRECTION_AFTER.test(turn.text.slice(end))) return `the turn takes "${object}" back right after saying it`;
    }
  }
  if (later.length === 0) return undefined;
  const negated = new RegExp(`\\bnot\\s+(?:a\\s+|an\\s+|the\\s+)?${escapeRegExp(object)}(?![\\p{L}\\p{N}])`, "iu");
  const negating = later.find((turn) => negated.test(turn.text));
  return negating ? `a later turn (${negating.id}) says it is not "${object}"` : undefined;
}

interface TurnTexts {
  /** Lowercased turn texts. */
  lower: string[];
  /** Each turn's position in the conversation. */
  position: Map<Turn, number>;
  /** Positions, ascending, of the turns not by the assistant that say "not ": the only ones that can take a memory back. */
  negating: number[];
}

/** What supersededBy reads of a conversation, made once per conversation, so a long one costs one pass, not one per memory. */
const texts = new WeakMap<Conversation, TurnTexts>();
function turnTexts(conversation: Conversation): TurnTexts {
  let made = texts.get(conversation);
  if (made) return made;
  const lower = conversation.turns.map((turn) => turn.text.toLowerCase());
  const negating = conversation.turns.flatMap((turn, i) =>
    turn.role !== "assistant" && turn.speaker.toLowerCase() !== "assistant" && lower[i]!.includes("not ") ? [i] : [],
  );
  made = { lower, position: new Map(conversation.turns.map((turn, i) => [turn, i])), negating };
  texts.set(conversation, made);
  return made;
}

/** Index in `sorted` of its first value greater than `after`. */
function firstAfter(sorted: number[], after: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Every reason the memory is less useful than a specific, standalone, current and atomic statement. */
export function usefulnessDeductions(candidate: Candidate, conversation: Conversation): Deduction[] {
  const deductions: Deduction[] = [];
  const { turns } = supportingTurns(candidate, conversation);
  const superseded = supersededBy(candidate, conversation, turns);
  if (superseded) deductions.push({ points: 3, reason: `superseded: ${superseded}` });
  const objectTokens = tokenSet(candidate.object);
  const subjectTokens = tokenSet(candidate.subject);
  if (objectTokens.size > 0 && [...objectTokens].every((t) => subjectTokens.has(t))) {
    deductions.push({ points: 3, reason: "says nothing: its object only repeats the subject" });
  }
  const firstPerson = lowerWords(candidate.text).find((word) => FIRST_PERSON.has(word));
  if (firstPerson)
    deductions.push({ points: 2, reason: `not self-contained: says "${firstPerson}" where a later reader needs who` });
  const object = candidate.object.trim();
  if (object.split(/\s+/).length > MAX_ATOMIC_OBJECT_WORDS || CLAUSE_JOINER.test(` ${object} `))
    deductions.push({ points: 1, reason: "object is not atomic" });
  if (DEMONSTRATIVE.test(object))
    deductions.push({ points: 1, reason: "object points at something only the conversation explains" });
  if (![...objectTokens].some((t) => tokenSet(candidate.text).has(t)))
    deductions.push({ points: 1, reason: "text does not state the object" });
  return deductions;
}
