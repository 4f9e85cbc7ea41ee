import type { Conversation } from "../../schema/conversation.js";
import type { GoldenMemory } from "../../schema/golden.js";
import type { RetrievalQueryLine } from "../../schema/retrieval-query.js";

/** Something in the source that was left out, with how often and a few examples of where. */
export interface SkippedItem {
  reason: string;
  count: number;
  examples: string[];
}

/** What an importer made of its source: records `run` accepts, and everything it left out. */
export interface ImportResult {
  conversations: Conversation[];
  golden: GoldenMemory[];
  /** Queries for the retrieval simulation, from the source's own questions; absent when the format has none. */
  queries?: RetrievalQueryLine[];
  skipped: SkippedItem[];
}

const MAX_EXAMPLES = 3;

/** Counts what an importer leaves out, by reason, keeping the first few examples of each. */
export class SkipTally {
  private readonly items = new Map<string, SkippedItem>();

  add(reason: string, example: string): void {
    const item = this.items.get(reason) ?? { reason, count: 0, examples: [] };
    item.count++;
    if (item.examples.length < MAX_EXAMPLES) item.examples.push(example);
    this.items.set(reason, item);
  }

  list(): SkippedItem[] {
    return [...this.items.values()];
  }
}
