import type { RetrySettings } from "../schema/bench-config.js";
import { ProviderError } from "./provider.js";

export interface RetryHooks {
  /** Called before each wait; `attempt` is the retry about to happen (1-based). */
  onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The wait before retry `attempt`: the server's `retry-after` when it gave one, otherwise exponential
 * backoff with full jitter over the upper half (base·2^(attempt−1) · [0.5, 1)); capped at max_delay_ms.
 */
export function retryDelay(
  error: ProviderError,
  attempt: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, settings.max_delay_ms);
  const backoff = settings.base_delay_ms * 2 ** (attempt - 1);
  return Math.min(settings.max_delay_ms, Math.round(backoff * (0.5 + random() / 2)));
}

/** Run `call`, retrying retryable ProviderErrors up to `max_retries` times; the last error is thrown. */
export async function withRetries<T>(
  call: () => Promise<T>,
  settings: RetrySettings,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable || attempt > settings.max_retries) throw error;
      const delay = retryDelay(error, attempt, settings, hooks.random);
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
