import type { StoredMemory } from "../../schema/retrieval-store.js";

/** The words of memories and queries, as the BM25 index reads them. */

export const FIELDS = ["text", "subject", "predicate", "object"] as const;
export type Field = (typeof FIELDS)[number];

/** Splits camelCase and snake_case so `worksAt`, `works_at` and "works at" share their words. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

/** A field's distinct word ids in order of first use, and how often each occurs. */
export interface TextWords {
  readonly ids: Int32Array;
  readonly counts: Int32Array;
}

/**
 * Word ids, and the words of each distinct text, for the stores of one scope: subjects, predicates,
 * objects and most texts repeat across a scope's stores (and its memories), so each is read once.
 */
export class Vocabulary {
  readonly #ids = new Map<string, number>();
  readonly #texts = new Map<string, TextWords>();
  /** Each query text's words: a query is asked of every store of the scope. */
  readonly #queries = new Map<string, string[]>();

  get size(): number {
    return this.#ids.size;
  }

  idOf(word: string): number {
    return this.#ids.get(word) ?? -1;
  }

  /** A query's words (tokenize), read once per scope. */
  queryTokens(text: string): readonly string[] {
    let tokens = this.#queries.get(text);
    if (!tokens) this.#queries.set(text, (tokens = tokenize(text)));
    return tokens;
  }

  /** The words of each of the memory's fields, in `FIELDS` order, appended to `into`. */
  addWordsOf(memory: StoredMemory, into: TextWords[]): void {
    for (const field of FIELDS) into.push(this.#wordsOfText(memory[field]));
  }

  #wordsOfText(text: string): TextWords {
    let words = this.#texts.get(text);
    if (words) return words;
    const tally = new Map<number, number>();
    for (const token of tokenize(text)) {
      let id = this.#ids.get(token);
      if (id === undefined) this.#ids.set(token, (id = this.#ids.size));
      tally.set(id, (tally.get(id) ?? 0) + 1);
    }
    words = { ids: Int32Array.from(tally.keys()), counts: Int32Array.from(tally.values()) };
    this.#texts.set(text, words);
    return words;
  }
}
