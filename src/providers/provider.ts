import type { Usage } from "../schema/dry-run.js";
import type { ClientSettings } from "../schema/model-settings.js";

/** A part of a message; `cache` marks the end of a prefix that later calls repeat word for word (a cache breakpoint). */
export interface TextPart {
  text: string;
  cache?: boolean;
}

export interface ChatMessage {
  role: "user" | "assistant";
  /** Text, or parts in order (a stable, cacheable prefix first). */
  content: string | TextPart[];
}

/** A message's text whole, its parts joined by a blank line (as providers without parts see it). */
export function messageText(message: ChatMessage): string {
  return typeof message.content === "string" ? message.content : message.content.map((part) => part.text).join("\n\n");
}

/** The JSON Schema an answer must follow, in the subset both providers' structured outputs accept. */
export interface AnswerFormat {
  /** Letters, digits, `_` and `-`: the name OpenAI's `json_schema` and a forced tool carry. */
  name: string;
  schema: Record<string, unknown>;
}

/** Everything that can change a model's answer; the model itself comes from the client's settings. */
export interface CompletionRequest {
  system: string;
  messages: ChatMessage[];
  max_tokens: number;
  /** Sent only when set: reasoning models take none. */
  temperature?: number;
  /** The answer's schema, sent as the provider's structured output when its settings allow. */
  format?: AnswerFormat;
  /**
   * Calls sharing this key share a long prefix (the same conversation): OpenAI's `prompt_cache_key`,
   * so its automatic prompt cache routes them alike.
   */
  cache_key?: string;
}

/**
 * How an answer ended, read from the provider's stop reason: `end` is a whole answer; `truncated`
 * ran out of max_tokens; `refused` is the model declining; `empty` has no text at all.
 */
export type StopKind = "end" | "truncated" | "refused" | "empty";

export interface Completion {
  text: string;
  usage: Usage;
  latency_ms: number;
  /** The model that answered, as the server reports it. */
  model: string;
  stop: StopKind;
  /** The provider's own stop reason (`end_turn`, `max_tokens`, `length`, `refusal`, …), when it gave one. */
  stop_reason?: string;
}

/** One model endpoint. Implementations make exactly one request per call: retries happen above them. */
export interface Provider {
  complete(request: CompletionRequest): Promise<Completion>;
}

export interface ProviderOptions {
  settings: ClientSettings;
  /** Read from the environment by the caller; providers hand it to the SDK and never echo it. */
  apiKey: string;
  /** Told once when the provider falls back from a setting its server refused (structured output, the max_tokens field). */
  warn?: (message: string) => void;
}

export type ProviderFactory = (options: ProviderOptions) => Provider;

export type ProviderErrorKind =
  | "rate_limited"
  | "overloaded"
  | "server"
  | "timeout"
  | "connection"
  | "invalid_response"
  | "client";

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  "rate_limited",
  "overloaded",
  "server",
  "timeout",
  "connection",
  "invalid_response",
]);

/** A failed call, classified so the retry loop knows what to do. Its message never carries the API key. */
export class ProviderError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    /** Wait the server asked for (retry-after), in milliseconds. */
    readonly retryAfterMs?: number,
    /** The request parameter the server named as the problem (OpenAI's `param`), when it named one. */
    readonly param?: string,
    /** The failure repeats whatever is retried (a refused connection, an unknown host): retries cannot help. */
    readonly deterministic = false,
  ) {
    super(message);
    this.name = "ProviderError";
    this.retryable = RETRYABLE.has(kind) && !deterministic;
  }
}
