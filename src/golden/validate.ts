import { resolve } from "node:path";
import { InputError, type Problem } from "../errors.js";
import { loadConversations, loadGolden } from "../load/load-inputs.js";
import { readRecords } from "../load/read-records.js";
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
  const conversations = loadConversations(resolve(options.dataset));
  const file = resolve(options.golden);
  try {
    loadGolden(file, conversations);
  } catch (error) {
    if (error instanceof InputError) return { conversations: conversations.length, memories: 0, problems: error.problems };
    throw error;
  }
  const items = readRecords(file, GoldenMemorySchema, []);
  return { conversations: conversations.length, memories: items.length, problems: checkGoldenCuration(conversations, items) };
}
