import type { Completion, CompletionRequest, ProviderOptions } from "./provider.js";

/** One call of a batch: the request and the id the batch's results carry back. */
export interface BatchItem {
  custom_id: string;
  request: CompletionRequest;
}

/** What a batch returned for one call: its answer, or why not (errored, expired, cancelled); the call is then made live. */
export type BatchOutcome = { ok: true; completion: Completion } | { ok: false; reason: string };

/**
 * One model's batch endpoint (Anthropic Message Batches, OpenAI Batch). Every method makes its own
 * requests once and throws a classified ProviderError: retries happen above it.
 */
export interface BatchApi {
  /** Submit the calls as one batch; returns the provider's batch id. */
  create(items: BatchItem[]): Promise<string>;
  /** Whether the batch has stopped processing (ended, completed, expired, cancelled or failed). */
  ended(id: string): Promise<boolean>;
  /** The outcome of every call the batch answered, by custom_id; `latencyMs` is stamped on each answer. */
  results(id: string, latencyMs: number): Promise<Map<string, BatchOutcome>>;
  /** Ask the provider to stop a batch (its finished calls are still billed). */
  cancel(id: string): Promise<void>;
}

export type BatchApiFactory = (options: ProviderOptions) => BatchApi;

/** Run one SDK call, its errors classified like a live call's; the label names the batch step. */
export async function batchStep<T>(
  classify: (error: unknown, label: string) => Error,
  label: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw classify(error, label);
  }
}
