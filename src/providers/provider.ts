import type { Usage } from "../schema/dry-run.js";
import type { ModelSettings } from "../schema/model-settings.js";

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

/** Everything that can change a model's answer; the model itself comes from the client's settings. */
export interface CompletionRequest {
  system: string;
  messages: ChatMessage[];
  max_tokens: number;
  temperature: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  latency_ms: number;
  /** The model that answered, as the server reports it. */
  model: string;
}

/** One model endpoint. Implementations make exactly one request per call: retries happen above them. */
export interface Provider {
  complete(request: CompletionRequest): Promise<Completion>;
}

export interface ProviderOptions {
  settings: Pick<ModelSettings, "model" | "base_url" | "timeout_ms">;
  /** Read from the environment by the caller; providers hand it to the SDK and never echo it. */
  apiKey: string;
}

export type ProviderFactory = (options: ProviderOptions) => Provider;

export type ProviderErrorKind = "rate_limited" | "overloaded" | "server" | "timeout" | "connection" | "invalid_response" | "client";

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set(["rate_limited", "overloaded", "server", "timeout", "connection", "invalid_response"]);

/** A failed call, classified so the retry loop knows what to do. Its message never carries the API key. */
export class ProviderError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    /** Wait the server asked for (retry-after), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ProviderError";
    this.retryable = RETRYABLE.has(kind);
  }
}
