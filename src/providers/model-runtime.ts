import { UsageError, type RunError } from "../errors.js";
import {
  BatchSettingsSchema,
  type BatchSettings,
  type CacheMode,
  type ModelPrice,
  type ProviderLimits,
  type RetrySettings,
} from "../schema/bench-config.js";
import type { ClientSettings, ModelSettings } from "../schema/model-settings.js";
import type { ModelUsage, UsageScope } from "../schema/model-usage.js";
import type { BatchApi } from "./batch-api.js";
import { BatchCollector, type BatchGroup } from "./batch-collector.js";
import { ProviderLimiter } from "./limiter.js";
import { ModelClient, type ModelAnswer } from "./model-client.js";
import { findPrice } from "./pricing.js";
import type { Provider } from "./provider.js";
import { apiKeyEnv, hasBatchApi, loadBatchApiFactory, loadProviderFactory, providerDefinition } from "./registry.js";
import { ResponseCache } from "./response-cache.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { runPreflight } from "./preflight.js";
import { BudgetExceededError } from "./stop-errors.js";
import { registerSecret } from "../text/redact.js";

export { ModelClient, type CallOptions, type ModelAnswer } from "./model-client.js";
export type { ClientSettings } from "../schema/model-settings.js";
export { BudgetExceededError, ProviderRejectedError, ReplayMissError } from "./stop-errors.js";
export { CircuitOpenError } from "./circuit-breaker.js";
export { PreflightError } from "./preflight.js";

export interface ModelRuntimeOptions {
  cache: { mode: CacheMode; dir: string };
  rateLimits: Partial<Record<string, ProviderLimits>>;
  retries: RetrySettings;
  pricing: Record<string, ModelPrice>;
  maxCostUsd?: number;
  env: NodeJS.ProcessEnv;
  /** Provider batch APIs. Default: off. */
  batch?: BatchSettings;
  /** Check every model with one small request before the first paid call (see `preflight`). Default: true. */
  preflight?: boolean;
}

/** Models with no price while a cost limit is set: the limit could not see their spend. */
export function unpricedModels(
  settings: Pick<ModelSettings, "model">[],
  pricing: Record<string, ModelPrice>,
): string[] {
  return [...new Set(settings.map((s) => s.model).filter((model) => !findPrice(model, pricing)))];
}

/** The API key variables that the given settings need and the environment lacks. Names only, never values. */
export function missingApiKeys(
  settings: Pick<ModelSettings, "provider" | "api_key_env">[],
  env: NodeJS.ProcessEnv,
): string[] {
  const missing = settings.map(apiKeyEnv).filter((name): name is string => name !== undefined && !env[name]);
  return [...new Set(missing)];
}

/**
 * Everything the model calls of one run share: the cache, one limiter per provider, the cost
 * budget, the usage accounts per scope, and the error that stopped the run, if any.
 */
export class ModelRuntime {
  readonly cache: ResponseCache;
  /** Cache misses gathered into provider batches (batch mode), and batches an interrupted run recorded. */
  readonly batches: BatchCollector;
  spent = 0;
  private readonly limiters = new Map<string, ProviderLimiter>();
  private readonly accounts: ModelUsage[] = [];
  private readonly inFlight = new Map<string, Promise<ModelAnswer>>();
  private stoppedBy: RunError | undefined;
  private readonly clients: ModelClient[] = [];
  /** Stops the run when one model keeps failing the same deterministic way. */
  readonly breaker = new CircuitBreaker((error) => this.stop(error));
  /** What the providers said while the run went on (a refused parameter they fell back from). */
  readonly warnings: string[] = [];
  /** Told of each warning as it happens (the terminal prints it). */
  onWarning: ((message: string) => void) | undefined;

  constructor(readonly options: ModelRuntimeOptions) {
    this.cache = new ResponseCache(options.cache.dir, { onWarning: (message) => this.warn(message) });
    // A cache the run cannot write is found before the first call, not after every call was paid for.
    if (options.cache.mode === "read-write") void this.cache.preflight();
    this.batches = new BatchCollector(options.batch ?? BatchSettingsSchema.parse({}), options.retries);
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.onWarning?.(message);
  }

  /** A client for one scope. Throws a UsageError when the API key variable is unset. */
  async client(scope: UsageScope, settings: ClientSettings): Promise<ModelClient> {
    let apiKey = "";
    const variable = apiKeyEnv(settings);
    if (variable !== undefined) {
      apiKey = this.options.env[variable] ?? "";
      if (!apiKey)
        throw new UsageError(`the ${settings.provider} model ${settings.model} needs an API key: set ${variable}`);
      // Whatever its variable's name, the key is hidden wherever a server or SDK repeats it.
      registerSecret(apiKey);
    }
    // The SDK is loaded on the first call the cache cannot answer: a run answered from the cache never loads it.
    let provider: Promise<Provider> | undefined;
    const lazy: Provider = {
      complete: async (request) =>
        (
          await (provider ??= loadProviderFactory(settings.provider).then((factory) =>
            factory({ settings, apiKey, warn: (message) => this.warn(message) }),
          ))
        ).complete(request),
    };
    const usage = this.openAccount(scope, settings.provider, settings.model);
    const limiter = this.limiterFor(settings.provider);
    let batch: BatchGroup | undefined;
    if (hasBatchApi(settings.provider)) {
      let api: Promise<BatchApi> | undefined;
      const options = { settings, apiKey };
      batch = {
        provider: settings.provider,
        model: settings.model,
        base_url: settings.base_url ?? null,
        key_env: variable ?? "",
        api: () => (api ??= loadBatchApiFactory(settings.provider).then((create) => create(options))),
      };
    }
    const client = new ModelClient(this, lazy, settings, usage, limiter, batch);
    this.clients.push(client);
    return client;
  }

  /**
   * A new usage account of the run, all counts at zero and USD at 0 for a priced model (null for an
   * unpriced one): each model client has one, and so has the retrieval simulation's embeddings client.
   */
  openAccount(scope: UsageScope, provider: string, model: string): ModelUsage {
    const usage: ModelUsage = {
      scope,
      provider,
      model,
      requests: 0,
      calls: 0,
      batch_calls: 0,
      cache_hits: 0,
      retries: 0,
      failures: 0,
      input_tokens: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      preflight_requests: 0,
      preflight_cost_usd: 0,
      cost_usd: findPrice(model, this.options.pricing) ? 0 : null,
    };
    this.accounts.push(usage);
    return usage;
  }

  /** The limits every call to one provider passes through (`rate_limits.<provider>`; default 4 in flight). */
  limiterFor(provider: string): ProviderLimiter {
    let limiter = this.limiters.get(provider);
    if (!limiter) {
      limiter = new ProviderLimiter(this.options.rateLimits[provider] ?? { concurrency: 4 });
      this.limiters.set(provider, limiter);
    }
    return limiter;
  }

  private preflighted: Promise<void> | undefined;

  /** Waits for the preflight, started by the first call the cache cannot answer: a run the cache answers whole sends nothing. */
  beforeFirstRequest(): Promise<void> {
    return (this.preflighted ??= this.preflight());
  }

  /**
   * One small request per distinct model and server, with the run's own parameters, before the
   * first paid call of the run, for every model the run uses (the judge's too): a retired model, a rejected key, a parameter the API refuses or a server that is
   * not there stops the run (exit 3) before any unit is paid for. Skipped for a replay-only cache
   * (no call is ever made) and for models whose settings say `preflight: false`.
   */
  async preflight(): Promise<void> {
    if (this.options.cache.mode === "replay-only" || this.options.preflight === false) return;
    const seen = new Map<string, ModelClient[]>();
    for (const client of this.clients) {
      if (client.settings.preflight === false || !providerDefinition(client.settings.provider).paid) continue;
      const key = `${client.settings.provider}\u0000${client.settings.model}\u0000${client.endpoint}`;
      seen.set(key, [...(seen.get(key) ?? []), client]);
    }
    await Promise.all(
      [...seen.values()].map((clients) =>
        runPreflight(clients, this.options.retries).catch((error: RunError) => this.stop(error)),
      ),
    );
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
      this.stop(
        new BudgetExceededError(
          `the cost limit of $${limit} was reached ($${this.spent.toFixed(6)} spent); no further model calls were made`,
        ),
      );
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

  /** Calls answered by providers and by the cache so far, USD spent, and the models whose calls have no price: for progress lines. */
  totals(): { calls: number; cacheHits: number; costUsd: number; unpriced: string[] } {
    const unpriced = this.accounts.filter((a) => a.cost_usd === null && a.calls > 0).map((a) => a.model);
    return {
      calls: this.accounts.reduce((sum, a) => sum + a.calls, 0),
      cacheHits: this.accounts.reduce((sum, a) => sum + a.cache_hits, 0),
      costUsd: this.spent,
      unpriced: [...new Set(unpriced)],
    };
  }

  /** Usage per scope; scopes with several clients (none today) would appear once each. */
  usage(): ModelUsage[] {
    return this.accounts.map((account) => ({ ...account }));
  }
}
