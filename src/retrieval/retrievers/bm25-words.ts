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

/** One memory's words: per field, its distinct word ids in order of first use and how often each occurs. */
export interface MemoryWords {
  readonly ids: readonly Int32Array[];
  readonly counts: readonly Int32Array[];
}

/** Word ids and each memory's words, for the stores of one scope. */
export class Vocabulary {
  readonly #ids = new Map<string, number>();
  readonly #memories = new WeakMap<StoredMemory, MemoryWords>();
  readonly #texts = new Map<string, { ids: Int32Array; counts: Int32Array }>();

  get size(): number {
    return this.#ids.size;
  }

  idOf(word: string): number {
    return this.#ids.get(word) ?? -1;
  }

  wordsOf(memory: StoredMemory): MemoryWords {
    let words = this.#memories.get(memory);
    if (words) return words;
    const fields = FIELDS.map((field) => this.#wordsOfText(memory[field]));
    words = { ids: fields.map((field) => field.ids), counts: fields.map((field) => field.counts) };
    this.#memories.set(memory, words);
    return words;
  }

  /** A field's words, read once per distinct text: subjects, predicates and objects repeat across a scope's memories. */
  #wordsOfText(text: string): { ids: Int32Array; counts: Int32Array } {
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
