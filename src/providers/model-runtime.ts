import { RunError, UsageError } from "../errors.js";
import type { CacheMode, ModelPrice, ProviderLimits, RetrySettings } from "../schema/bench-config.js";
import { apiKeyEnv, type ModelSettings } from "../schema/model-settings.js";
import type { ModelUsage, UsageScope } from "../schema/model-usage.js";
import { estimateTokens, ProviderLimiter } from "./limiter.js";
import { costOf, findPrice } from "./pricing.js";
import { ProviderError, type Completion, type CompletionRequest, type Provider } from "./provider.js";
import { loadProviderFactory } from "./registry.js";
import { cacheKey, ResponseCache, type CacheKeyFields } from "./response-cache.js";
import { withRetries } from "./retry.js";

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

export interface ModelRuntimeOptions {
  cache: { mode: CacheMode; dir: string };
  rateLimits: Partial<Record<string, ProviderLimits>>;
  retries: RetrySettings;
  pricing: Record<string, ModelPrice>;
  maxCostUsd?: number;
  env: NodeJS.ProcessEnv;
}

/** `replay-only` met a call the cache cannot answer. */
export class ReplayMissError extends RunError {}

/** `max_cost_usd` was reached: no new call is made. */
export class BudgetExceededError extends RunError {}

/** Models with no price while a cost limit is set: the limit could not see their spend. */
export function unpricedModels(settings: Pick<ModelSettings, "model">[], pricing: Record<string, ModelPrice>): string[] {
  return [...new Set(settings.map((s) => s.model).filter((model) => !findPrice(model, pricing)))];
}

/** The API key variables that the given settings need and the environment lacks. Names only, never values. */
export function missingApiKeys(settings: Pick<ModelSettings, "provider" | "api_key_env">[], env: NodeJS.ProcessEnv): string[] {
  const missing = settings.map(apiKeyEnv).filter((name) => !env[name]);
  return [...new Set(missing)];
}

/** One scope's client: cache, in-flight sharing, limits, retries, usage and cost around a Provider. */
export class ModelClient {
  constructor(
    private readonly runtime: ModelRuntime,
    private readonly provider: Provider,
    readonly settings: ClientSettings,
    private readonly usage: ModelUsage,
    private readonly limiter: ProviderLimiter,
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
    return this.runtime.track(key, this.answer(fields, options.label));
  }

  private async answer(fields: CacheKeyFields, label: string): Promise<ModelAnswer> {
    const runtime = this.runtime;
    runtime.throwIfStopped();
    const { mode } = runtime.options.cache;
    const key = cacheKey(fields);
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
      if (error instanceof ProviderError) throw new ProviderError(error.kind, `${label}: ${error.message}`, error.status, error.retryAfterMs);
      throw new ProviderError("invalid_response", `${label}: ${(error as Error).message}`);
    }
    this.usage.calls++;
    this.usage.input_tokens += completion.usage.input_tokens;
    this.usage.output_tokens += completion.usage.output_tokens;
    const price = findPrice(fields.model, runtime.options.pricing);
    const cost = price ? costOf(completion.usage, price) : 0;
    if (price) this.usage.cost_usd = (this.usage.cost_usd ?? 0) + cost;
    else this.usage.cost_usd = null;
    runtime.spent += cost;
    if (mode === "read-write") runtime.cache.write(key, fields, completion);
    return { ...completion, cached: false };
  }
}

/**
 * Everything the model calls of one run share: the cache, one limiter per provider, the cost
 * budget, the usage accounts per scope, and the error that stopped the run, if any.
 */
export class ModelRuntime {
  readonly cache: ResponseCache;
  spent = 0;
  private readonly limiters = new Map<string, ProviderLimiter>();
  private readonly accounts: ModelUsage[] = [];
  private readonly inFlight = new Map<string, Promise<ModelAnswer>>();
  private stoppedBy: RunError | undefined;

  constructor(readonly options: ModelRuntimeOptions) {
    this.cache = new ResponseCache(options.cache.dir);
  }

  /** A client for one scope. Throws a UsageError when the API key variable is unset. */
  async client(scope: UsageScope, settings: ClientSettings): Promise<ModelClient> {
    let apiKey = "";
    if (settings.provider === "anthropic" || settings.provider === "openai") {
      const variable = apiKeyEnv(settings as ModelSettings);
      apiKey = this.options.env[variable] ?? "";
      if (!apiKey) throw new UsageError(`the ${settings.provider} model ${settings.model} needs an API key: set ${variable}`);
    }
    const factory = await loadProviderFactory(settings.provider);
    const usage: ModelUsage = {
      scope,
      provider: settings.provider,
      model: settings.model,
      requests: 0,
      calls: 0,
      cache_hits: 0,
      retries: 0,
      failures: 0,
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: findPrice(settings.model, this.options.pricing) ? 0 : null,
    };
    this.accounts.push(usage);
    let limiter = this.limiters.get(settings.provider);
    if (!limiter) {
      limiter = new ProviderLimiter(this.options.rateLimits[settings.provider] ?? { concurrency: 4 });
      this.limiters.set(settings.provider, limiter);
    }
    return new ModelClient(this, factory({ settings, apiKey }), settings, usage, limiter);
  }

  /** The answer of an identical call in flight, which a new call shares instead of sending its own. */
  pending(key: string): Promise<ModelAnswer> | undefined {
    return this.inFlight.get(key);
  }

  track(key: string, answer: Promise<ModelAnswer>): Promise<ModelAnswer> {
    const promise = answer.finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  checkBudget(): void {
    const limit = this.options.maxCostUsd;
    if (limit !== undefined && this.spent >= limit) {
      this.stop(new BudgetExceededError(`the cost limit of $${limit} was reached ($${this.spent.toFixed(6)} spent); no further model calls were made`));
    }
  }

  /** Stop every further call with this error (and throw it). */
  stop(error: RunError): never {
    this.stoppedBy ??= error;
    throw this.stoppedBy;
  }

  throwIfStopped(): void {
    if (this.stoppedBy) throw this.stoppedBy;
  }

  get stopped(): RunError | undefined {
    return this.stoppedBy;
  }

  /** Calls answered by providers and by the cache so far, and USD spent: for progress lines. */
  totals(): { calls: number; cacheHits: number; costUsd: number } {
    return {
      calls: this.accounts.reduce((sum, a) => sum + a.calls, 0),
      cacheHits: this.accounts.reduce((sum, a) => sum + a.cache_hits, 0),
      costUsd: this.spent,
    };
  }

  /** Usage per scope; scopes with several clients (none today) would appear once each. */
  usage(): ModelUsage[] {
    return this.accounts.map((account) => ({ ...account }));
  }
}
