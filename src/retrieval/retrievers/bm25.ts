import { Bm25SettingsSchema, type Bm25Settings } from "../../schema/retrieval-settings.js";
import {
  excludedBy,
  type QueryFilters,
  type Retriever,
  type RetrievalQuery,
  type SimulatedStore,
  type StoredMemory,
} from "../../schema/retrieval-store.js";
import { StoreIndex, Vocabulary } from "./bm25-index.js";

export { Bm25SettingsSchema, type Bm25Settings };
export { COMMON_WORD_SHARE } from "./bm25-index.js";

/** The memories of a store a subject or predicate filter can let through, for lookups that score only those. */
class FilterKeys {
  readonly #bySubject = new Map<string, number[]>();
  readonly #byEntity = new Map<string, number[]>();
  readonly #byPredicate = new Map<string, number[]>();

  constructor(memories: readonly StoredMemory[]) {
    memories.forEach((memory, doc) => {
      push(this.#bySubject, memory.subject.toLowerCase(), doc);
      if (memory.subject_entity !== undefined) push(this.#byEntity, memory.subject_entity, doc);
      push(this.#byPredicate, memory.predicate, doc);
    });
  }

  /** Memories that may pass `filters`, in store order, or undefined when no filter narrows them. */
  candidates(filters: QueryFilters | undefined): number[] | undefined {
    let subject: number[] | undefined;
    if (filters?.subject !== undefined) {
      const named = this.#bySubject.get(filters.subject.toLowerCase()) ?? [];
      const resolved = this.#byEntity.get(filters.subject) ?? [];
      subject = resolved.length === 0 ? named : [...new Set([...named, ...resolved])].sort((a, b) => a - b);
    }
    const predicate = filters?.predicate !== undefined ? (this.#byPredicate.get(filters.predicate) ?? []) : undefined;
    return subject && predicate ? intersect(subject, predicate) : (subject ?? predicate);
  }
}

/** The members of two ascending lists that both hold, ascending. */
function intersect(a: readonly number[], b: readonly number[]): number[] {
  const both: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      both.push(a[i]!);
      i++;
      j++;
    }
  }
  return both;
}

function push(map: Map<string, number[]>, key: string, doc: number): void {
  const list = map.get(key);
  if (list) list.push(doc);
  else map.set(key, [doc]);
}

interface Current {
  index: StoreIndex;
  keys?: FilterKeys;
}

/**
 * BM25+ over each memory's text, subject, predicate and object, scored as MiniSearch scores them
 * (`bm25-index.ts`), with the query's filters applied as a store applies them: a memory a filter
 * excludes never ranks. One index per store, built on its first search and kept while the store is
 * (it goes with the store: a scope's last store and its index are not held into the next scope); a
 * memory's words are read once per scope, however many stores hold it. A field whose boost is 0 is
 * left out of the score.
 */
export async function createBm25Retriever(settings: Bm25Settings): Promise<Retriever> {
  let vocabulary = new Vocabulary();
  let scope: string | undefined;
  let indexes = new WeakMap<SimulatedStore, Current>();
  const indexOf = (store: SimulatedStore): Current => {
    const known = indexes.get(store);
    if (known) return known;
    // A new scope's memories share no store with the last scope's: their words are dropped with them.
    if (store.scope !== scope) {
      scope = store.scope;
      vocabulary = new Vocabulary();
    }
    const current = { index: new StoreIndex(store.memories, vocabulary) };
    indexes.set(store, current);
    return current;
  };
  return {
    name: "bm25",
    async search(store: SimulatedStore, query: RetrievalQuery, k: number): Promise<string[]> {
      const found = indexOf(store);
      const { memories } = store;
      const filters = query.filters;
      const accept = filters ? (doc: number) => excludedBy(memories[doc]!, filters) === undefined : () => true;
      const candidates = filters ? (found.keys ??= new FilterKeys(memories)).candidates(filters) : undefined;
      const ranked = found.index.search(found.index.queryWords(query.text), settings.boost, k, accept, candidates);
      return ranked.map((doc) => memories[doc]!.id);
    },
    async close() {
      indexes = new WeakMap();
      vocabulary = new Vocabulary();
    },
  };
}
