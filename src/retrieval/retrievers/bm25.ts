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
  let current: { store: SimulatedStore; index: Index; byId: Map<string, StoredMemory> } | undefined;
  const indexOf = (store: SimulatedStore): { store: SimulatedStore; index: Index; byId: Map<string, StoredMemory> } => {
    if (current?.store === store) return current;
    const index = new MiniSearch<StoredMemory>({ fields: [...FIELDS], idField: "id", tokenize, searchOptions: { tokenize } });
    index.addAll(store.memories as StoredMemory[]);
    current = { store, index, byId: new Map(store.memories.map((m) => [m.id, m])) };
    return current;
  };
  return {
    name: "bm25",
    async search(store: SimulatedStore, query: RetrievalQuery, k: number): Promise<string[]> {
      const { index, byId } = indexOf(store);
      const results = index.search(query.text, {
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
