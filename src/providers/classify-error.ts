import { redact } from "../text/redact.js";
import { ProviderError } from "./provider.js";

interface SdkErrorLike {
  name?: string;
  message?: string;
  cause?: unknown;
  status?: number;
  headers?: { get(name: string): string | null } | Record<string, string>;
  error?: unknown;
}

function header(headers: SdkErrorLike["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function")
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
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

/** `{type, message, param}` from an Anthropic (`{type:"error", error:{…}}`) or OpenAI (`{error:{…}}`) error body. */
function bodyError(error: unknown): { type?: string; message?: string; param?: string } {
  if (!error || typeof error !== "object") return {};
  const inner = (error as { error?: unknown }).error;
  const source = inner && typeof inner === "object" ? inner : error;
  const { type, message, param } = source as { type?: unknown; message?: unknown; param?: unknown };
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return { type: text(type), message: text(message), param: text(param) };
}

/** Connection failures that every retry would meet again: nothing listens there, or the host has no address. */
const DETERMINISTIC_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);

/** The system error code behind a failed connection (the SDK's error → fetch's TypeError → the socket error). */
function connectionCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as SdkErrorLike).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}

/**
 * A timeout, whatever the SDK named it: openai v6's `APIConnectionTimeoutError` has the name
 * `"Error"`, so the class name and the message are read too.
 */
function isTimeout(error: unknown, e: SdkErrorLike): boolean {
  const className = (error as { constructor?: { name?: string } } | null)?.constructor?.name ?? "";
  return (
    (e.name ?? "").includes("Timeout") ||
    className.includes("Timeout") ||
    (e.status === undefined && /timed? ?out/i.test(e.message ?? ""))
  );
}

/**
 * The parameter an error message names, for servers that give no `param` field: Anthropic's
 * `temperature: Extra inputs are not permitted`, `output_config.format: …`, or a quoted `'max_tokens'`.
 */
function paramNamed(message: string | undefined): string | undefined {
  if (!message) return undefined;
  return /^([a-z_]+(?:\.[a-z_]+)*): /.exec(message)?.[1] ?? /'([a-z_]+)'/.exec(message)?.[1];
}

/**
 * Map an error thrown by either official SDK (duck-typed, so this module never imports them) to a
 * ProviderError. The message is built from the status and the server's error body only, and
 * redacted: a gateway that echoes the key in its error body does not get it printed or logged.
 */
export function classifySdkError(error: unknown, label: string): ProviderError {
  const classified = classify(error, label);
  const message = redact(classified.message);
  if (message === classified.message) return classified;
  return new ProviderError(
    classified.kind,
    message,
    classified.status,
    classified.retryAfterMs,
    classified.param,
    classified.deterministic,
  );
}

function classify(error: unknown, label: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = (error ?? {}) as SdkErrorLike;
  const name = e.name ?? "";
  if (isTimeout(error, e)) return new ProviderError("timeout", `${label}: request timed out`);
  const code = connectionCode(error);
  if (
    name === "APIConnectionError" ||
    code !== undefined ||
    (e.status === undefined && /connection|socket|ECONNRESET|fetch failed/i.test(e.message ?? ""))
  ) {
    const deterministic = code !== undefined && DETERMINISTIC_CODES.has(code);
    return new ProviderError(
      "connection",
      `${label}: connection failed${code ? ` (${code})` : ""}`,
      undefined,
      undefined,
      undefined,
      deterministic,
    );
  }
  if (typeof e.status === "number") {
    const body = bodyError(e.error);
    const detail = [body.type, body.message].filter(Boolean).join(": ") || "no error details";
    const message = `${label}: HTTP ${e.status} (${detail})`;
    const wait = retryAfterMs(e.headers);
    if (e.status === 429) return new ProviderError("rate_limited", message, 429, wait);
    if (e.status === 529 || body.type === "overloaded_error")
      return new ProviderError("overloaded", message, e.status, wait);
    if (e.status === 408) return new ProviderError("timeout", message, 408, wait);
    if (e.status >= 500) return new ProviderError("server", message, e.status, wait);
    return new ProviderError("client", message, e.status, undefined, body.param ?? paramNamed(body.message));
  }
  return new ProviderError("invalid_response", `${label}: ${name || "error"}: ${e.message ?? String(error)}`);
}
