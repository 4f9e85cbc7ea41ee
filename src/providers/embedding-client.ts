import type OpenAI from "openai";
import type { ModelPrice, RetrySettings } from "../schema/bench-config.js";
import type { ModelUsage } from "../schema/model-usage.js";
import { RetrySettingsSchema } from "../schema/bench-config.js";
import { LruCache } from "../text/lru-cache.js";
import { classifySdkError } from "./classify-error.js";
import { modelFetch } from "./http-transport.js";
import { estimateTokens, ProviderLimiter } from "./limiter.js";
import type { ModelRuntime } from "./model-runtime.js";
import { costOf, findPrice } from "./pricing.js";
import { ProviderError } from "./provider.js";
import { cacheKey, type CacheKeyFields } from "./cache-entry.js";
import { EmbeddingError, HINTS } from "./embedding-error.js";
import { decodeVector, encodeVector, normalize } from "./embedding-vectors.js";
import { withRetries } from "./retry.js";
import { ProviderRejectedError, ReplayMissError } from "./stop-errors.js";
import { RunError } from "../errors.js";

/** The prompt-template name of an embedding in the answer cache; bumped when what is stored changes. */
const TEMPLATE = "embedding@1";
/**
 * Vectors held in memory, by text: a text met again (the same memory in several strategies' stores,
 * the same query against each) is embedded once. Bounded so memory stays flat over a large run (at
 * 1,536 dimensions, about 120 MB); what it forgets, the answer cache still answers.
 */
const MEMO_ENTRIES = 20_000;

export interface EmbeddingSettings {
  model: string;
  base_url?: string | undefined;
  dimensions?: number | undefined;
  batch_size: number;
  timeout_ms: number;
}

/** What an embedding client spent: requests, texts and tokens, cache answers, and USD (null when the model has no price). */
export interface EmbeddingUsage {
  model: string;
  /** Requests sent (retries included). */
  requests: number;
  retries: number;
  /** Requests that failed after their retries. */
  failures: number;
  /** Texts embedded by the server. */
  texts: number;
  /** Texts answered by the answer cache: no request, no cost. */
  cache_hits: number;
  /** Input tokens as the server counted them (`usage.prompt_tokens`). */
  input_tokens: number;
  cost_usd: number | null;
}

export interface EmbeddingClientOptions {
  apiKey: string;
  /** The run's answer cache, retries, prices and cost limit. Default: no cache, the default retries, the built-in prices. */
  runtime?: ModelRuntime;
  /** The limits its requests pass through. Default: the run's `openai` limits, else 4 requests in flight of its own. */
  limiter?: ProviderLimiter;
}

/**
 * Embeddings from an OpenAI-compatible `/embeddings` endpoint through the `openai` SDK (loaded on the
 * first request), over the bench's request machinery: the answer cache (one entry per text), the
 * provider's limiter, retries, the cost limit, and usage counted from the API's own `usage`. Texts
 * are embedded once per client (memoized by their cache key), in batches of `batch_size`, and an
 * identical text already in flight is waited for, not sent again.
 */
export class EmbeddingClient {
  private client: Promise<OpenAI> | undefined;
  private readonly memo = new LruCache<string, Float32Array>(MEMO_ENTRIES);
  /** Cache keys by text: a store's memories are met again by every query, and hashing each anew costs more than the lookup. */
  private readonly keys = new LruCache<string, string>(MEMO_ENTRIES);
  private readonly inFlight = new Map<string, Promise<Float32Array>>();
  private readonly limiter: ProviderLimiter;
  private readonly retries: RetrySettings;
  private readonly price: ModelPrice | undefined;
  private readonly account: EmbeddingUsage;
  /** The run's usage account of the embeddings (scope `retrieval`), kept beside its own: the run log and the reports' cost tables read it. */
  private readonly runAccount: ModelUsage | undefined;
  private readonly label: string;

  constructor(
    private readonly settings: EmbeddingSettings,
    private readonly options: EmbeddingClientOptions,
  ) {
    this.limiter = options.limiter ?? options.runtime?.limiterFor("openai") ?? new ProviderLimiter({ concurrency: 4 });
    this.retries = options.runtime?.options.retries ?? RetrySettingsSchema.parse({});
    this.price = findPrice(settings.model, options.runtime?.options.pricing);
    this.account = {
      model: settings.model,
      requests: 0,
      retries: 0,
      failures: 0,
      texts: 0,
      cache_hits: 0,
      input_tokens: 0,
      cost_usd: this.price ? 0 : null,
    };
    this.runAccount = options.runtime?.openAccount("retrieval", "openai", settings.model);
    this.label = `embeddings ${settings.model} at ${settings.base_url ?? "https://api.openai.com/v1"}`;
  }

  usage(): EmbeddingUsage {
    return { ...this.account };
  }

  /** Add to a count of its own usage and of the run's account. */
  private count(field: "requests" | "retries" | "failures" | "cache_hits" | "input_tokens", n: number): void {
    this.account[field] += n;
    if (this.runAccount) this.runAccount[field] += n;
  }

  /** Unit vectors of `texts`, in order. Throws EmbeddingError when a request fails after its retries. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    const waits: Promise<void>[] = [];
    const missing: { key: string; text: string; settle: (v: Float32Array | Error) => void }[] = [];
    texts.forEach((text, i) => {
      let key = this.keys.get(text);
      if (key === undefined) {
        key = cacheKey(this.fieldsOf(text));
        this.keys.set(text, key);
      }
      const known = this.memo.get(key) ?? this.fromCache(key);
      if (known) {
        vectors[i] = known;
        return;
      }
      let pending = this.inFlight.get(key);
      if (!pending) {
        let settle!: (v: Float32Array | Error) => void;
        pending = new Promise<Float32Array>(
          (resolve, reject) => (settle = (v) => (v instanceof Error ? reject(v) : resolve(v))),
        );
        // Every waiter handles the rejection; this keeps an unwaited one from being reported as unhandled.
        pending.catch(() => undefined);
        this.inFlight.set(key, pending);
        missing.push({ key, text, settle });
      }
      waits.push(pending.then((v) => void (vectors[i] = v)));
    });
    for (let start = 0; start < missing.length; start += this.settings.batch_size) {
      const batch = missing.slice(start, start + this.settings.batch_size);
      waits.push(
        this.request(batch).then(
          (answers) => batch.forEach((item, j) => this.settle(item, answers[j]!)),
          (error: Error) => batch.forEach((item) => this.settle(item, error)),
        ),
      );
    }
    await Promise.all(waits);
    return vectors;
  }

  private settle(item: { key: string; settle: (v: Float32Array | Error) => void }, answer: Float32Array | Error): void {
    this.inFlight.delete(item.key);
    if (!(answer instanceof Error)) this.memo.set(item.key, answer);
    item.settle(answer);
  }

  /** What identifies one text's embedding in the answer cache: the model, server and size, and the text. */
  private fieldsOf(text: string): CacheKeyFields {
    const { model, base_url, dimensions } = this.settings;
    const fields: CacheKeyFields = {
      provider: "openai",
      model,
      base_url: base_url ?? null,
      template: TEMPLATE,
      repeat: 0,
      attempt: 0,
      request: { system: "", messages: [{ role: "user", content: text }], max_tokens: 0 },
    };
    if (dimensions !== undefined) fields.params = { dimensions };
    return fields;
  }

  private fromCache(key: string): Float32Array | undefined {
    const runtime = this.options.runtime;
    if (!runtime || runtime.options.cache.mode === "off") return undefined;
    const hit = runtime.cache.read(key);
    const vector = hit && decodeVector(hit.text);
    if (!vector) return undefined;
    const unit = normalize(vector);
    this.memo.set(key, unit);
    this.count("cache_hits", 1);
    return unit;
  }

  private openai(): Promise<OpenAI> {
    // As the openai provider builds its client: the bench retries (the SDK's own retries off), over modelFetch.
    return (this.client ??= import("openai").then(
      ({ default: OpenAI }) =>
        new OpenAI({
          apiKey: this.options.apiKey,
          baseURL: this.settings.base_url ?? null,
          timeout: this.settings.timeout_ms,
          maxRetries: 0,
          fetch: modelFetch,
        }),
    ));
  }

  /** One request for a batch of texts; their unit vectors in order. */
  private async request(batch: { key: string; text: string }[]): Promise<Float32Array[]> {
    const runtime = this.options.runtime;
    if (runtime) {
      runtime.throwIfStopped();
      if (runtime.options.cache.mode === "replay-only") {
        runtime.stop(
          new ReplayMissError(
            `the replay-only cache has no embedding for ${batch.length} texts (${this.label}, key ${batch[0]!.key.slice(0, 16)}); record them with a read-write run first`,
          ),
        );
      }
      runtime.checkBudget();
    }
    const client = await this.openai();
    const input = batch.map((item) => item.text);
    const started = performance.now();
    let answer: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      answer = await withRetries(
        () =>
          this.limiter.run(estimateTokens(input.join("")), async () => {
            runtime?.throwIfStopped();
            this.count("requests", 1);
            try {
              const body = {
                model: this.settings.model,
                input,
                encoding_format: "base64" as const,
                ...(this.settings.dimensions ? { dimensions: this.settings.dimensions } : {}),
              };
              return { answer: await client.embeddings.create(body), usage: { output_tokens: 0 } };
            } catch (error) {
              throw classifySdkError(error, this.label);
            }
          }),
        this.retries,
        { onRetry: () => this.count("retries", 1) },
      ).then((r) => r.answer);
    } catch (error) {
      // The run stopped meanwhile (the cost limit, another model's rejected key): its error, not this request's.
      if (error instanceof RunError) throw error;
      this.count("failures", 1);
      if (!(error instanceof ProviderError)) throw error;
      const hint = error.status !== undefined ? HINTS.get(error.status) : undefined;
      const message = hint ? `${error.message}; ${hint}` : error.message;
      // A rejected key or an unknown model fails every request alike: the run stops, as for any model.
      if (hint && runtime) runtime.stop(new ProviderRejectedError(message));
      throw new EmbeddingError(error.kind, message);
    }
    const vectors = this.read(answer, batch.length);
    const tokens = answer.usage?.prompt_tokens ?? 0;
    this.account.texts += batch.length;
    this.count("input_tokens", tokens);
    const cost = this.price ? costOf({ input_tokens: tokens, output_tokens: 0 }, this.price) : 0;
    if (this.account.cost_usd !== null) this.account.cost_usd += cost;
    if (this.runAccount) {
      this.runAccount.calls++;
      if (this.runAccount.cost_usd !== null) this.runAccount.cost_usd += cost;
    }
    if (runtime) {
      runtime.spent += cost;
      if (runtime.options.cache.mode === "read-write") {
        const latency = Math.round(performance.now() - started);
        const share = (text: string) => Math.round((tokens * text.length) / Math.max(1, input.join("").length));
        batch.forEach((item, j) =>
          runtime.cache.write(item.key, this.fieldsOf(item.text), {
            text: encodeVector(vectors[j]!),
            usage: { input_tokens: share(item.text), output_tokens: 0 },
            latency_ms: latency,
            model: answer.model ?? this.settings.model,
            stop: "end",
          }),
        );
      }
    }
    return vectors.map(normalize);
  }

  /** The answer's vectors in input order; an answer missing one, or of mixed sizes, is invalid. */
  private read(answer: OpenAI.Embeddings.CreateEmbeddingResponse, count: number): Float32Array[] {
    const vectors: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(count);
    for (const item of answer?.data ?? []) {
      const index = typeof item?.index === "number" ? item.index : -1;
      if (index >= 0 && index < count) vectors[index] = decodeVector(item.embedding as unknown);
    }
    const invalid = (why: string) => new EmbeddingError("invalid_response", `${this.label}: ${why}`);
    // biome-ignore lint/complexity/useIndexOf: the answer can leave holes, which indexOf passes over
    const absent = vectors.findIndex((v) => v === undefined);
    if (absent >= 0) throw invalid(`the answer has no usable vector for input ${absent} of ${count}`);
    const size = vectors[0]!.length;
    if (this.settings.dimensions !== undefined && size !== this.settings.dimensions)
      throw invalid(`vectors have ${size} dimensions, ${this.settings.dimensions} were asked (dimensions)`);
    if (vectors.some((v) => v!.length !== size)) throw invalid("the answer's vectors differ in size");
    return vectors as Float32Array[];
  }
}
