import { RunError } from "../errors.js";
import type { ClientSettings } from "../schema/model-settings.js";
import type { Usage } from "../schema/dry-run.js";
import type { ModelUsage } from "../schema/model-usage.js";
import type { BatchGroup } from "./batch-collector.js";
import { estimateTokens, type ProviderLimiter } from "./limiter.js";
import type { ModelRuntime } from "./model-runtime.js";
import { costOf, findPrice } from "./pricing.js";
import { providerDefinition } from "./registry.js";
import { messageText, ProviderError, type Completion, type CompletionRequest, type Provider } from "./provider.js";
import { cacheKey, type CacheKeyFields } from "./cache-entry.js";
import { withRetries } from "./retry.js";
import { ProviderRejectedError, ReplayMissError } from "./stop-errors.js";

/** Add a call's tokens to an account: input, output, and the reasoning and prompt-cache counts apart. */
export function addUsage(account: ModelUsage, usage: Usage): void {
  account.input_tokens += usage.input_tokens;
  account.output_tokens += usage.output_tokens;
  account.reasoning_tokens += usage.reasoning_tokens ?? 0;
  account.cache_read_tokens += usage.cache_read_tokens ?? 0;
  account.cache_write_tokens += usage.cache_write_tokens ?? 0;
}

/** Statuses that every later call would meet too, with what to check. */
const FATAL_STATUS = new Map<number, string>([
  [401, "check the API key variable (api_key_env)"],
  [403, "check the API key's permissions"],
  [404, "check the model name and base_url"],
]);

/**
 * The settings that change a model's answers besides the request itself; absent when none is set,
 * so calls of models without them keep the keys they always had.
 */
function answerParams(settings: ClientSettings): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {};
  for (const name of ["structured_output", "reasoning_effort", "effort", "thinking"] as const)
    if (settings[name] !== undefined) params[name] = settings[name];
  return Object.keys(params).length > 0 ? params : undefined;
}

export interface CallOptions {
  /** Prompt template and version, e.g. `extract@1`; part of the cache key. */
  template: string;
  /** 0 for the first judgement, 1 for the noise repeat: a repeat never reuses the first answer. */
  repeat?: number;
  /** 0, or 1 for the retry of an answer that did not parse. */
  attempt?: number;
  /** What the call is for, as error messages name it (`extract candidate conv-7 window 1/2`). */
  label: string;
  /**
   * Whether a whole answer is usable (it parses and matches its contract). An answer that is not,
   * or that did not end whole (truncated, refused, empty), is never cached, and such an answer
   * found in a cache written by an earlier version is asked again.
   */
  accept?: (answer: Completion) => boolean;
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

  /** Which config (or the judge) this client calls the model for. */
  get scope(): string {
    return this.usage.scope;
  }

  /** Report whether a judge answer was usable after its retry, for the circuit breaker. */
  noteJudgeAnswer(problem: string | undefined): void {
    if (this.usage.scope === "judge") this.runtime.breaker.judgeAnswer(this, problem);
  }

  /** Count a request the preflight sends (no completion yet), or the price of the answer it got; apart from the run's own calls. */
  countPreflight(completion: Completion | undefined): void {
    if (!completion) {
      this.usage.preflight_requests++;
      return;
    }
    const price = findPrice(this.settings.model, this.runtime.options.pricing);
    const cost = price ? costOf(completion.usage, price) : 0;
    this.usage.preflight_cost_usd += cost;
    this.runtime.spent += cost;
  }

  /** Send one request straight to the provider: no cache, no in-flight sharing. */
  send(request: CompletionRequest): Promise<Completion> {
    return this.provider.complete(request);
  }

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
    const params = answerParams(this.settings);
    if (params) fields.params = params;
    const key = cacheKey(fields);
    const pending = this.runtime.pending(key);
    if (pending) {
      // Answered by an identical call already in flight (another config or unit): no request of its own.
      this.usage.cache_hits++;
      return pending.then((answer) => ({ ...answer, cached: true }));
    }
    return this.runtime.track(key, this.answer(key, fields, options));
  }

  /** Where this model is served, as messages name it: the configured base URL or the provider's public API. */
  get endpoint(): string {
    return this.settings.base_url ?? providerDefinition(this.settings.provider).publicUrl ?? "(no URL)";
  }

  private usable(answer: Completion, accept: CallOptions["accept"]): boolean {
    return answer.stop === "end" && (!accept || accept(answer));
  }

  private async answer(key: string, fields: CacheKeyFields, options: CallOptions): Promise<ModelAnswer> {
    const runtime = this.runtime;
    const label = options.label;
    runtime.throwIfStopped();
    const { mode } = runtime.options.cache;
    if (mode !== "off") {
      const hit = runtime.cache.read(key);
      const answer = hit && { ...hit, stop: hit.stop ?? "end" };
      // An earlier version cached failed answers too: such an entry is asked again, not replayed.
      if (answer && this.usable(answer, options.accept)) {
        this.usage.cache_hits++;
        return { ...answer, cached: true };
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
    await runtime.beforeFirstRequest();
    // Batch mode, or a batch an interrupted run submitted for this call: an answer it returned is
    // taken; what it returned as errored, expired or cancelled is asked live below.
    const batched = this.batch && (await runtime.batches.answer(this.batch, key, fields.request));
    if (batched?.ok) return this.settle(key, fields, batched.completion, true, options);
    const estimate = estimateTokens(fields.request.system + fields.request.messages.map(messageText).join(""));
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
        runtime.stop(
          new ProviderRejectedError(
            `${label}: ${error.message} at ${this.endpoint}; ${FATAL_STATUS.get(error.status)}`,
          ),
        );
      }
      const failed =
        error instanceof ProviderError
          ? new ProviderError(
              error.kind,
              `${label}: ${error.message}`,
              error.status,
              error.retryAfterMs,
              error.param,
              error.deterministic,
            )
          : new ProviderError("invalid_response", `${label}: ${(error as Error).message}`);
      runtime.breaker.failed(this, failed);
      throw failed;
    }
    runtime.breaker.answered(this);
    return this.settle(key, fields, completion, false, options);
  }

  /** Count and price an answered call (a batched one at the batch discount), and cache it when it is usable. */
  private settle(
    key: string,
    fields: CacheKeyFields,
    completion: Completion,
    batched: boolean,
    options: CallOptions,
  ): ModelAnswer {
    const runtime = this.runtime;
    this.usage.calls++;
    if (batched) this.usage.batch_calls++;
    addUsage(this.usage, completion.usage);
    const price = findPrice(fields.model, runtime.options.pricing);
    const cost = price ? costOf(completion.usage, price, batched) : 0;
    if (price) this.usage.cost_usd = (this.usage.cost_usd ?? 0) + cost;
    else this.usage.cost_usd = null;
    runtime.spent += cost;
    if (runtime.options.cache.mode === "read-write" && this.usable(completion, options.accept))
      runtime.cache.write(key, fields, completion);
    return { ...completion, cached: false };
  }
}
