import type { ProviderError } from "./provider.js";

/** A failed embedding request, after its retries, with what to check for statuses every request would meet. */
export class EmbeddingError extends Error {
  constructor(
    readonly kind: ProviderError["kind"],
    message: string,
  ) {
    super(message);
    this.name = "EmbeddingError";
  }
}

/** Statuses every later request would meet too, with what to check (as for the run's model calls). */
export const HINTS = new Map<number, string>([
  [401, "check the API key variable (api_key_env)"],
  [403, "check the API key's permissions"],
  [404, "check the model name and base_url"],
]);
