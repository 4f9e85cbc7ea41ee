import { RunError } from "../errors.js";
import type { ProviderError } from "./provider.js";

/** The same failure kept happening where retrying cannot help: the run stops instead of paying for more. */
export class CircuitOpenError extends RunError {}

/** What the breaker needs to know of a client: which config it serves and where. */
export interface BreakerClient {
  readonly settings: { provider: string; model: string };
  readonly scope: string;
  readonly endpoint: string;
}

/** Defaults: a deterministic provider failure three times in a row, an unusable judge answer five times. */
export const BREAKER_LIMITS = { failures: 3, answers: 5 };

interface Streak {
  signature: string;
  count: number;
  first: string;
}

/** Which config a scope is, as a message names it. */
function role(scope: string): string {
  return scope === "judge" ? "the judge" : `the ${scope} config`;
}

/**
 * Stops a run (exit 3) when one model keeps failing the same deterministic way: a refused
 * connection or unknown host, a 400 that names the same parameter, or judge answers that keep
 * missing their contract. Transient failures (429, 5xx, 529, timeouts) never count: they keep
 * their retries. Any good answer from the model resets its streak.
 */
export class CircuitBreaker {
  private readonly streaks = new Map<string, Streak>();

  constructor(
    private readonly stop: (error: RunError) => never,
    private readonly limits = BREAKER_LIMITS,
  ) {}

  private key(client: BreakerClient, kind: string): string {
    return `${kind}\u0000${client.settings.provider}\u0000${client.settings.model}\u0000${client.endpoint}`;
  }

  private count(
    client: BreakerClient,
    kind: string,
    signature: string,
    message: string,
    limit: number,
    what: string,
  ): void {
    const key = this.key(client, kind);
    const streak = this.streaks.get(key);
    const next =
      streak && streak.signature === signature
        ? { ...streak, count: streak.count + 1 }
        : { signature, count: 1, first: message };
    this.streaks.set(key, next);
    if (next.count >= limit) {
      this.stop(
        new CircuitOpenError(
          `${role(client.scope)} (${client.settings.provider} ${client.settings.model} at ${client.endpoint}) ${what} ${next.count} times in a row; ` +
            `stopped before spending more. The first: ${next.first}`,
        ),
      );
    }
  }

  /** A call that failed after its retries. */
  failed(client: BreakerClient, error: ProviderError): void {
    const signature = error.deterministic
      ? `connection:${error.message.replace(/^.*connection failed/, "")}`
      : error.status === 400 && error.param
        ? `400:${error.param}`
        : undefined;
    if (signature === undefined) return;
    this.count(client, "call", signature, error.message, this.limits.failures, "failed the same way");
  }

  /** A call the model answered: its failure streak ends. */
  answered(client: BreakerClient): void {
    this.streaks.delete(this.key(client, "call"));
  }

  /** A judge answer that was unusable after its retry (or usable: the streak ends). */
  judgeAnswer(client: BreakerClient, problem: string | undefined): void {
    if (problem === undefined) this.streaks.delete(this.key(client, "answer"));
    else this.count(client, "answer", "answer", problem, this.limits.answers, "answered outside its contract");
  }
}
