import { LIFESTYLE_PATTERNS } from "./lifestyle-patterns.js";
import { PROFILE_PATTERNS } from "./profile-patterns.js";
import type { StatementPattern } from "./statement-pattern.js";

export type { CueStrength, StatementPattern } from "./statement-pattern.js";

/**
 * Every statement pattern starts with one of these words (a test holds them to it): a clause without
 * any of them is skipped before the patterns run.
 */
export const STATEMENT_CUE = /\b(?:I|we|my|me|every|working)\b/i;

/**
 * First-person statement patterns, most specific first. They run on user turns only, one sentence
 * at a time; the first pattern of a category that matches a span wins that span.
 */
export const STATEMENT_PATTERNS: StatementPattern[] = [...PROFILE_PATTERNS, ...LIFESTYLE_PATTERNS];

/** Phrases that mark a statement as hedged or not about the speaker's settled state. */
export const HEDGES =
  /\b(?:i think|i guess|i suppose|maybe|perhaps|might|not sure|kind of|kinda|sort of|probably|possibly|someday|one day)\b/i;

/** Sentence openers that mark a correction: the statement is stated with extra conviction. */
export const CORRECTION = /^(?:actually|correction|to be clear|sorry,? i meant|wait)\b[,:]?\s*/i;
