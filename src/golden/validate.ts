import { resolve } from "node:path";
import { InputError, type Problem } from "../errors.js";
import { indexConversations, indexGolden } from "../load/load-inputs.js";
import { readRecords } from "../load/read-records.js";
import type { Conversation } from "../schema/conversation.js";
import { GoldenMemorySchema } from "../schema/golden.js";
import { checkGoldenCuration } from "./check-golden.js";

export interface ValidateOptions {
  dataset: string;
  golden: string;
}

export interface ValidationOutcome {
  conversations: number;
  memories: number;
  problems: Problem[];
}

/**
 * The checks `run` makes (schemas, unique ids, conversations and evidence turns exist), then the
 * curation checks. A dataset that does not load is an InputError, as for `run`.
 */
export function validateGoldenSet(options: ValidateOptions): ValidationOutcome {
  // The dataset is indexed, not held: a conversation is read again when a check needs its turns.
  const conversations = indexConversations(resolve(options.dataset));
  const file = resolve(options.golden);
  try {
    try {
      indexGolden(file, conversations).files.close();
    } catch (error) {
      if (error instanceof InputError) return { conversations: conversations.size, memories: 0, problems: error.problems };
      throw error;
    }
    const items = readRecords(file, GoldenMemorySchema, []);
    // Golden files list a conversation's memories together: the last conversation read serves the next ones.
    let last: Conversation | undefined;
    const conversationOf = (id: string): Conversation | undefined => {
      if (last?.id === id) return last;
      const entry = conversations.get(id);
      return entry ? (last = conversations.load(entry)) : undefined;
    };
    return { conversations: conversations.size, memories: items.length, problems: checkGoldenCuration(conversationOf, items) };
  } finally {
    conversations.files.close();
  }
}
