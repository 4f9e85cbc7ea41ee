import { ProviderError } from "./provider.js";

interface SdkErrorLike {
  name?: string;
  message?: string;
  status?: number;
  headers?: { get(name: string): string | null } | Record<string, string>;
  error?: unknown;
}

function header(headers: SdkErrorLike["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: SdkErrorLike["headers"], now: number = Date.now()): number | undefined {
  const ms = Number(header(headers, "retry-after-ms"));
  if (header(headers, "retry-after-ms") !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = header(headers, "retry-after");
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `{type, message}` from an Anthropic (`{type:"error", error:{…}}`) or OpenAI (`{error:{…}}`) error body. */
function bodyError(error: unknown): { type?: string; message?: string } {
  if (!error || typeof error !== "object") return {};
  const inner = (error as { error?: unknown }).error;
  const source = inner && typeof inner === "object" ? inner : error;
  const { type, message } = source as { type?: unknown; message?: unknown };
  return { type: typeof type === "string" ? type : undefined, message: typeof message === "string" ? message : undefined };
}

/**
 * Map an error thrown by either official SDK (duck-typed, so this module never imports them) to a
 * ProviderError. The message is built from the status and the server's error body only.
 */
export function classifySdkError(error: unknown, label: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = (error ?? {}) as SdkErrorLike;
  const name = e.name ?? "";
  if (name.includes("Timeout")) return new ProviderError("timeout", `${label}: request timed out`);
  if (name === "APIConnectionError" || (e.status === undefined && /connection|socket|ECONNRESET|fetch failed/i.test(e.message ?? ""))) {
    return new ProviderError("connection", `${label}: connection failed`);
  }
  if (typeof e.status === "number") {
    const body = bodyError(e.error);
    const detail = [body.type, body.message].filter(Boolean).join(": ") || "no error details";
    const message = `${label}: HTTP ${e.status} (${detail})`;
    const wait = retryAfterMs(e.headers);
    if (e.status === 429) return new ProviderError("rate_limited", message, 429, wait);
    if (e.status === 529 || body.type === "overloaded_error") return new ProviderError("overloaded", message, e.status, wait);
    if (e.status === 408) return new ProviderError("timeout", message, 408, wait);
    if (e.status >= 500) return new ProviderError("server", message, e.status, wait);
    return new ProviderError("client", message, e.status);
  }
  return new ProviderError("invalid_response", `${label}: ${name || "error"}: ${e.message ?? String(error)}`);
}
