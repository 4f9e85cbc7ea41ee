import { UsageError } from "../../errors.js";
import { EmbeddingClient, type EmbeddingUsage } from "../../providers/embedding-client.js";
import { EmbeddingError } from "../../providers/embedding-error.js";
import type { ProviderLimiter } from "../../providers/limiter.js";
import type { ModelRuntime } from "../../providers/model-runtime.js";
import type { ProviderErrorKind } from "../../providers/provider.js";
import { EmbeddingsRetrieverSettingsSchema, type EmbeddingsRetrieverSettings } from "../../schema/retrievers.js";
import { registerSecret } from "../../text/redact.js";
import { excludedBy, type Retriever, type SimulatedStore, type StoredMemory } from "../../schema/retrieval-store.js";
import { RetrieverError, type RetrieverErrorKind } from "./command.js";

export { EmbeddingsRetrieverSettingsSchema, type EmbeddingsRetrieverSettings };
export type { EmbeddingUsage };

/** Reciprocal rank fusion's constant: a document at rank r adds weight / (RRF_K + r). 60 as in Cormack et al. (2009). */
export const RRF_K = 60;

export interface EmbeddingsContext {
  /** Where the API key variable is read. Default: the process's environment. */
  env?: NodeJS.ProcessEnv;
  /** The run's answer cache, retries, prices and cost limit. Default: no cache, the default retries, the built-in prices. */
  runtime?: ModelRuntime;
  /** The limits its requests pass through. Default: the run's `openai` limits (`rate_limits.openai`), else 4 in flight of its own. */
  limiter?: ProviderLimiter;
  /** The BM25 ranking to fuse with; required when `fuse_bm25` is set. */
  bm25?: Retriever;
}

/** The embeddings retriever, which also tells what its requests cost. */
export interface EmbeddingsRetriever extends Retriever {
  usage(): EmbeddingUsage;
}

function kindOf(kind: ProviderErrorKind): RetrieverErrorKind {
  if (kind === "timeout") return "timeout";
  return kind === "invalid_response" ? "invalid_output" : "failed";
}

/** Ids of `memories` by cosine similarity of their unit vectors to the query's, best first (store order among equals). */
function rankByCosine(
  memories: readonly StoredMemory[],
  vectors: readonly Float32Array[],
  query: Float32Array,
): string[] {
  const scored = memories.map((memory, i) => {
    const vector = vectors[i]!;
    let dot = 0;
    for (let d = 0; d < vector.length; d++) dot += vector[d]! * query[d]!;
    return { id: memory.id, i, score: dot };
  });
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.id);
}

/**
 * Two rankings fused by reciprocal rank fusion: each id scores `(1 − w)/(RRF_K + its embedding
 * rank) + w/(RRF_K + its BM25 rank)`, ranks from 1, an id absent from a ranking adding nothing from
 * it. Ties keep the embedding ranking's order.
 */
export function fuseRankings(embedding: readonly string[], bm25: readonly string[], weight: number): string[] {
  const score = new Map<string, number>();
  embedding.forEach((id, r) => score.set(id, (1 - weight) / (RRF_K + r + 1)));
  bm25.forEach((id, r) => score.set(id, (score.get(id) ?? 0) + weight / (RRF_K + r + 1)));
  // The map's keys are in first-seen order: the embedding ranking's, then ids only BM25 ranked.
  const order = new Map([...score.keys()].map((id, i) => [id, i] as const));
  return [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)! || order.get(a)! - order.get(b)!);
}

/**
 * Embeddings from an OpenAI-compatible endpoint, ranked by cosine similarity to the query after the
 * query's filters (`excludedBy`), optionally fused with BM25 (`fuse_bm25`). Each memory text and each
 * query is embedded once however many stores hold it (see EmbeddingClient). A missing API key, or
 * `fuse_bm25` without a BM25 retriever, is a UsageError here; a failed request throws RetrieverError.
 */
export function createEmbeddingsRetriever(
  settings: EmbeddingsRetrieverSettings,
  context: EmbeddingsContext = {},
): EmbeddingsRetriever {
  const env = context.env ?? process.env;
  const apiKey = env[settings.api_key_env] ?? "";
  if (!apiKey)
    throw new UsageError(`the embeddings retriever (${settings.model}) needs an API key: set ${settings.api_key_env}`);
  registerSecret(apiKey);
  const bm25 = context.bm25;
  if (settings.fuse_bm25 !== undefined && !bm25)
    throw new UsageError("the embeddings retriever's fuse_bm25 needs the BM25 retriever to fuse with");
  // The client loads the openai SDK on its first request: a run answered from the cache never loads it.
  const client = new EmbeddingClient(settings, {
    apiKey,
    ...(context.runtime ? { runtime: context.runtime } : {}),
    ...(context.limiter ? { limiter: context.limiter } : {}),
  });

  return {
    name: settings.fuse_bm25 === undefined ? "embeddings" : "embeddings+bm25",
    async search(store: SimulatedStore, query, k) {
      const passing = store.memories.filter((memory) => excludedBy(memory, query.filters) === undefined);
      if (passing.length === 0 || k <= 0) return [];
      let vectors: Float32Array[];
      try {
        vectors = await client.embed([query.text, ...passing.map((memory) => memory.text)]);
      } catch (error) {
        if (!(error instanceof EmbeddingError)) throw error;
        throw new RetrieverError(kindOf(error.kind), `query ${query.id}: ${error.message}`);
      }
      const [queryVector, ...memoryVectors] = vectors;
      // Vectors of another size (a cache written when the server's model was another) cannot be compared.
      const odd = memoryVectors.findIndex((v) => v.length !== queryVector!.length);
      if (odd >= 0)
        throw new RetrieverError(
          "invalid_output",
          `query ${query.id}: the vector of memory ${passing[odd]!.id} has ${memoryVectors[odd]!.length} dimensions, the query's ${queryVector!.length}`,
        );
      const ranked = rankByCosine(passing, memoryVectors, queryVector!);
      if (settings.fuse_bm25 === undefined || !bm25) return ranked.slice(0, k);
      const lexical = await bm25.search(store, query, passing.length);
      return fuseRankings(ranked, lexical, settings.fuse_bm25).slice(0, k);
    },
    usage: () => client.usage(),
  };
}
