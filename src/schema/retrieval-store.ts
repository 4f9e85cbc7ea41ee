import type { QueryFiltersInput } from "./retrieval-query.js";

/**
 * The retrieval simulation's vocabulary: a simulated store of memories, a query against it, and the
 * retriever that ranks one against the other. Stores are built from the dry runs in the run log; a
 * retriever never sees which strategy or extractor version built the store it searches.
 */

/** Which extractor a memory in a mixed store came from. */
export type MemoryVersion = "baseline" | "candidate";

/** One memory as a simulated store holds it. */
export interface StoredMemory {
  /** Unique within its store. */
  readonly id: string;
  readonly conversation_id: string;
  readonly scope: string;
  readonly version: MemoryVersion;
  readonly type: string;
  readonly subject: string;
  /** The resolved entity id of the subject, when the extractor's subject resolved to one. */
  readonly subject_entity?: string;
  readonly predicate: string;
  readonly object: string;
  readonly text: string;
  readonly confidence: number;
  /** Turn ids the memory cites. */
  readonly evidence: readonly string[];
}

/** The structured part of a query, applied as a memory store applies it: every field given must match (the queries file's own schema). */
export type QueryFilters = Readonly<QueryFiltersInput>;

export interface RetrievalQuery {
  readonly id: string;
  readonly scope: string;
  readonly text: string;
  readonly filters?: QueryFilters;
}

/** The memories of one scope, as one migration strategy leaves them. */
export interface SimulatedStore {
  readonly scope: string;
  readonly strategy: string;
  readonly memories: readonly StoredMemory[];
}

/** Ranks a store's memories for a query. Implementations: BM25 (embedded), embeddings, a team's own command or HTTP service. */
export interface Retriever {
  /** How the report names it, e.g. "bm25". */
  readonly name: string;
  /** Ids of at most `k` memories of `store`, best first, with the query's filters applied. */
  search(store: SimulatedStore, query: RetrievalQuery, k: number): Promise<string[]>;
  /** Releases what the retriever holds (a helper process, an HTTP agent). */
  close?(): Promise<void>;
}

/** Which filter excluded a memory, or undefined when it passes them all. Checked in this order. */
export function excludedBy(memory: StoredMemory, filters: QueryFilters | undefined): keyof QueryFilters | undefined {
  if (!filters) return undefined;
  if (filters.type !== undefined && memory.type !== filters.type) return "type";
  if (filters.predicate !== undefined && memory.predicate !== filters.predicate) return "predicate";
  if (filters.subject !== undefined && !sameSubject(memory, filters.subject)) return "subject";
  if (filters.min_confidence !== undefined && memory.confidence < filters.min_confidence) return "min_confidence";
  return undefined;
}

function sameSubject(memory: StoredMemory, subject: string): boolean {
  return memory.subject_entity === subject || memory.subject.toLowerCase() === subject.toLowerCase();
}
