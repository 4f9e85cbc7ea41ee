import PQueue from "p-queue";
import type { ProviderLimits } from "../schema/bench-config.js";

const MINUTE_MS = 60_000;

/** A sliding one-minute window of token spend; `reserve` waits until the next call fits. */
class TokenWindow {
  private spent: { at: number; tokens: number }[] = [];
  constructor(private readonly perMinute: number) {}

  private prune(now: number): number {
    this.spent = this.spent.filter((entry) => now - entry.at < MINUTE_MS);
    return this.spent.reduce((sum, entry) => sum + entry.tokens, 0);
  }

  async reserve(tokens: number): Promise<void> {
    for (;;) {
      const now = Date.now();
      const used = this.prune(now);
      // An empty window always admits a call, even one larger than the whole limit.
      if (this.spent.length === 0 || used + tokens <= this.perMinute) {
        this.spent.push({ at: now, tokens });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, MINUTE_MS - (now - this.spent[0]!.at) + 1));
    }
  }

  record(tokens: number): void {
    this.spent.push({ at: Date.now(), tokens });
  }
}

/**
 * The limits of one provider: calls in flight (`concurrency`), calls started per minute, tokens per
 * minute. Every request (each retry too) passes through it.
 */
export class ProviderLimiter {
  private readonly queue: PQueue;
  private readonly tokens: TokenWindow | undefined;

  constructor(limits: ProviderLimits) {
    this.queue = new PQueue({
      concurrency: limits.concurrency,
      ...(limits.requests_per_minute ? { intervalCap: limits.requests_per_minute, interval: MINUTE_MS } : {}),
    });
    this.tokens = limits.tokens_per_minute ? new TokenWindow(limits.tokens_per_minute) : undefined;
  }

  /**
   * Run one request once the limits allow; `estimatedInputTokens` is reserved up front, output tokens
   * after. The answer comes back one turn of the event loop after its slot is freed: the request
   * waiting for the slot reaches its socket first, and answers that arrive together send the calls
   * waiting behind them before any of them is read, recorded and cached.
   */
  async run<T extends { usage: { output_tokens: number } }>(
    estimatedInputTokens: number,
    request: () => Promise<T>,
  ): Promise<T> {
    const result = (await this.queue.add(async () => {
      await this.tokens?.reserve(estimatedInputTokens);
      const answer = await request();
      this.tokens?.record(answer.usage.output_tokens);
      return answer;
    })) as T;
    await new Promise<void>((resolve) => setImmediate(resolve));
    return result;
  }
}

/** Rough token count of a text: about four characters per token for English prose. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
