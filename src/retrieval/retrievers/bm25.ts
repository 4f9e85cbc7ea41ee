import { Bm25SettingsSchema, type Bm25Settings } from "../../schema/retrieval-settings.js";
import { excludedBy, type Retriever, type RetrievalQuery, type SimulatedStore, type StoredMemory } from "../../schema/retrieval-store.js";

export { Bm25SettingsSchema, type Bm25Settings };

const FIELDS = ["text", "subject", "predicate", "object"] as const;

/** Splits camelCase and snake_case so `worksAt`, `works_at` and "works at" share their words. */
function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

type MiniSearchModule = typeof import("minisearch");
type Index = import("minisearch").default<StoredMemory>;

/**
 * BM25+ over each memory's text, subject, predicate and object (minisearch, loaded on first use),
 * with the query's filters applied as a store applies them: a memory a filter excludes never ranks.
 * One index per store, built on its first search and kept while the same store is searched.
 */
export async function createBm25Retriever(settings: Bm25Settings): Promise<Retriever> {
  const { default: MiniSearch } = (await import("minisearch")) as MiniSearchModule;
  let current: StoreIndex | undefined;
  const indexOf = (store: SimulatedStore): StoreIndex => {
    if (current?.store === store) return current;
    const index = new MiniSearch<StoredMemory>({ fields: [...FIELDS], idField: "id", tokenize, searchOptions: { tokenize } });
    index.addAll(store.memories as StoredMemory[]);
    current = { store, index, byId: new Map(store.memories.map((m) => [m.id, m])), frequency: documentFrequency(store.memories) };
    return current;
  };
  return {
    name: "bm25",
    async search(store: SimulatedStore, query: RetrievalQuery, k: number): Promise<string[]> {
      const { index, byId, frequency } = indexOf(store);
      const results = index.search(telling(query.text, frequency, store.memories.length), {
        boost: settings.boost,
        filter: (result) => excludedBy(byId.get(String(result.id))!, query.filters) === undefined,
      });
      return results.slice(0, k).map((result) => String(result.id));
    },
    async close() {
      current = undefined;
    },
  };
}

interface StoreIndex {
  store: SimulatedStore;
  index: Index;
  byId: Map<string, StoredMemory>;
  /** Word → memories of the store that hold it. */
  frequency: Map<string, number>;
}

/** A word found in more than this share of a store's memories (the name of the scope's user, say) is left out of a query. */
export const COMMON_WORD_SHARE = 0.5;

function documentFrequency(memories: readonly StoredMemory[]): Map<string, number> {
  const frequency = new Map<string, number>();
  for (const memory of memories) {
    const words = new Set(FIELDS.flatMap((field) => tokenize(memory[field])));
    for (const word of words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  return frequency;
}

/**
 * The query's words without those most of the store holds: their inverse document frequency is about
 * nothing, so they barely move a ranking, but every memory holding them would be scored and sorted
 * (in a scope where every memory names its user, every search would score the whole store). A query
 * of common words only is kept whole.
 */
function telling(text: string, frequency: Map<string, number>, memories: number): string {
  const words = tokenize(text);
  const kept = words.filter((word) => (frequency.get(word) ?? 0) <= memories * COMMON_WORD_SHARE);
  return (kept.length > 0 ? kept : words).join(" ");
}
