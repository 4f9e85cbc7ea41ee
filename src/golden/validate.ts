import { resolve } from "node:path";
import { InputError, type Problem } from "../errors.js";
import { indexConversations, indexGolden } from "../load/load-inputs.js";
import { readRecords, type Located } from "../load/read-records.js";
import type { Conversation } from "../schema/conversation.js";
import { GoldenMemorySchema, type GoldenMemory } from "../schema/golden.js";
import { checkGoldenCuration, conversationWithoutEntities, type CurationWarning } from "./check-golden.js";

export interface ValidateOptions {
  dataset: string;
  golden: string;
}

export interface ValidationOutcome {
  conversations: number;
  memories: number;
  /** What `run` refuses (schemas, ids, conversations and evidence turns that do not exist, empty text): the set cannot be used as it is. */
  errors: Problem[];
  /** What a reviewer should look at (near-duplicates, speaker attribution, memories without fields, conversations without known entities): `run` accepts the set. */
  warnings: CurationWarning[];
}

/** The golden records that pass their schema, whatever else is wrong with the file (the errors say that). */
function readValidRecords(file: string): Located<GoldenMemory>[] {
  try {
    return readRecords(file, GoldenMemorySchema, []);
  } catch (error) {
    if (error instanceof InputError) return [];
    throw error;
  }
}

/**
 * The checks `run` makes (schemas, unique ids, conversations and evidence turns exist) as errors,
 * then the curation checks as warnings. A dataset that does not load is an InputError, as for `run`.
 */
export function validateGoldenSet(options: ValidateOptions): ValidationOutcome {
  const warnings: CurationWarning[] = [];
  // The dataset is indexed, not held: a conversation is read again when a check needs its turns.
  const conversations = indexConversations(resolve(options.dataset), (conversation, where) => {
    const warning = conversationWithoutEntities(conversation, where);
    if (warning) warnings.push(warning);
  });
  const file = resolve(options.golden);
  try {
    let errors: Problem[] = [];
    try {
      indexGolden(file, conversations).files.close();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors = error.problems;
    }
    const items = readValidRecords(file);
    // Golden files list a conversation's memories together: the last conversation read serves the next ones.
    let last: Conversation | undefined;
    const conversationOf = (id: string): Conversation | undefined => {
      if (last?.id === id) return last;
      const entry = conversations.get(id);
      return entry ? (last = conversations.load(entry)) : undefined;
    };
    warnings.push(...checkGoldenCuration(conversationOf, items));
    return { conversations: conversations.size, memories: items.length, errors, warnings };
  } finally {
    conversations.files.close();
  }
}

/** Whether a validation fails (exit 2): any error, or with `strict` any warning. */
export function validationFailed(outcome: ValidationOutcome, strict = false): boolean {
  return outcome.errors.length > 0 || (strict && outcome.warnings.length > 0);
}
