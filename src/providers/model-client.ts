import { RunError } from "../errors.js";
import type { ModelSettings } from "../schema/model-settings.js";
import type { ModelUsage } from "../schema/model-usage.js";
import type { BatchGroup } from "./batch-collector.js";
import { estimateTokens, type ProviderLimiter } from "./limiter.js";
import type { ModelRuntime } from "./model-runtime.js";
import { costOf, findPrice } from "./pricing.js";
import { ProviderError, type Completion, type CompletionRequest, type Provider } from "./provider.js";
import { cacheKey, type CacheKeyFields } from "./response-cache.js";
import { withRetries } from "./retry.js";
import { ProviderRejectedError, ReplayMissError } from "./stop-errors.js";

/** Statuses that every later call would meet too, with what to check. */
const FATAL_STATUS = new Map<number, string>([
  [401, "check the API key variable (api_key_env)"],
  [403, "check the API key's permissions"],
  [404, "check the model name and base_url"],
]);

/** Model settings with any registered provider name (`scripted` included). */
export type ClientSettings = Omit<ModelSettings, "provider"> & { provider: string };

export interface CallOptions {
  /** Prompt template and version, e.g. `extract@1`; part of the cache key. */
  template: string;
  /** 0 for the first judgement, 1 for the noise repeat: a repeat never reuses the first answer. */
  repeat?: number;
  /** 0, or 1 for the retry of an answer that did not parse. */
  attempt?: number;
  /** What the call is for, as error messages name it (`extract candidate conv-7 window 1/2`). */
  label: string;
}

export interface ModelAnswer extends Completion {
  cached: boolean;
}

/** One scope's client: cache, in-flight sharing, limits, retries, usage and cost around a Provider. */
export class ModelClient {
  constructor(
    private readonly runtime: ModelRuntime,
    private readonly provider: Provider,
    readonly settings: ClientSettings,
    private readonly usage: ModelUsage,
    private readonly limiter: ProviderLimiter,
    /** This model's batch endpoint, when its provider has one. */
    private readonly batch?: BatchGroup,
  ) {}

  complete(request: CompletionRequest, options: CallOptions): Promise<ModelAnswer> {
    const fields: CacheKeyFields = {
      provider: this.settings.provider,
      model: this.settings.model,
      base_url: this.settings.base_url ?? null,
      template: options.template,
      repeat: options.repeat ?? 0,
      attempt: options.attempt ?? 0,
      request,
    };
    const key = cacheKey(fields);
    const pending = this.runtime.pending(key);
    if (pending) {
      // Answered by an identical call already in flight (another config or unit): no request of its own.
      this.usage.cache_hits++;
      return pending.then((answer) => ({ ...answer, cached: true }));
    }
    return this.runtime.track(key, this.answer(key, fields, options.label));
  }

  private async answer(key: string, fields: CacheKeyFields, label: string): Promise<ModelAnswer> {
    const runtime = this.runtime;
    runtime.throwIfStopped();
    const { mode } = runtime.options.cache;
    if (mode !== "off") {
      const hit = runtime.cache.read(key);
      if (hit) {
        this.usage.cache_hits++;
        return { ...hit, cached: true };
      }
    }
    if (mode === "replay-only") {
      runtime.stop(
        new ReplayMissError(
          `the replay-only cache has no answer for ${label} (${fields.provider} ${fields.model}, template ${fields.template}, ` +
            `key ${key.slice(0, 16)}); record it with a read-write run first`,
        ),
      );
    }
    runtime.checkBudget();
    // Batch mode, or a batch an interrupted run submitted for this call: an answer it returned is
    // taken; what it returned as errored, expired or cancelled is asked live below.
    const batched = this.batch && (await runtime.batches.answer(this.batch, key, fields.request));
    if (batched?.ok) return this.settle(key, fields, batched.completion, true);
    const estimate = estimateTokens(fields.request.system + fields.request.messages.map((m) => m.content).join(""));
    let completion: Completion;
    try {
      completion = await withRetries(
        () =>
          this.limiter.run(estimate, () => {
            // A request queued before the run stopped is not sent.
            runtime.throwIfStopped();
            this.usage.requests++;
            return this.provider.complete(fields.request);
          }),
        runtime.options.retries,
        { onRetry: () => this.usage.retries++ },
      );
    } catch (error) {
      if (error instanceof RunError) throw error;
      this.usage.failures++;
      if (error instanceof ProviderError && error.status !== undefined && FATAL_STATUS.has(error.status)) {
        // A rejected key or an unknown model fails every call alike: stop rather than record each one.
        runtime.stop(new ProviderRejectedError(`${label}: ${error.message}; ${FATAL_STATUS.get(error.status)}`));
      }
      if (error instanceof ProviderError) throw new ProviderError(error.kind, `${label}: ${error.message}`, error.status, error.retryAfterMs);
      throw new ProviderError("invalid_response", `${label}: ${(error as Error).message}`);
    }
    return this.settle(key, fields, completion, false);
  }

  /** Count and price an answered call (a batched one at the batch discount), and cache it. */
  private settle(key: string, fields: CacheKeyFields, completion: Completion, batched: boolean): ModelAnswer {
    const runtime = this.runtime;
    this.usage.calls++;
    if (batched) this.usage.batch_calls++;
    this.usage.input_tokens += completion.usage.input_tokens;
    this.usage.output_tokens += completion.usage.output_tokens;
    const price = findPrice(fields.model, runtime.options.pricing);
    const cost = price ? costOf(completion.usage, price, batched) : 0;
    if (price) this.usage.cost_usd = (this.usage.cost_usd ?? 0) + cost;
    else this.usage.cost_usd = null;
    runtime.spent += cost;
    if (runtime.options.cache.mode === "read-write") runtime.cache.write(key, fields, completion);
    return { ...completion, cached: false };
  }
}
