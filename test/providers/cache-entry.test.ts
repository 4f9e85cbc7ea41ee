import { describe, expect, it, vi } from "vitest";
import { CacheEntrySchema, entryResponse } from "../../src/providers/cache-entry.js";

const KEY = "ab".repeat(32);

/** An entry as the cache writes it. */
function written(): Record<string, unknown> {
  return {
    format_version: 1,
    key: KEY,
    provider: "openai",
    model: "gpt-4.1",
    template: "extract@2",
    response: {
      text: '{"memories":[]}',
      usage: { input_tokens: 1825, output_tokens: 11, cache_read_tokens: 1024 },
      latency_ms: 412,
      model: "gpt-4.1-2025-04-14",
      stop: "end",
      stop_reason: "stop",
    },
    created_at: "2026-12-07T12:26:07.342Z",
  };
}

/** What the schema alone makes of an entry: the response it returns, as JSON (field order included). */
function bySchema(value: unknown, key = KEY): string | undefined {
  const parsed = CacheEntrySchema.safeParse(value);
  return parsed.success && parsed.data.key === key ? JSON.stringify(parsed.data.response) : undefined;
}

type Change = [string, (entry: Record<string, unknown>, response: Record<string, unknown>) => void];

/** One change at a time to a written entry: each field missing, of another type, out of range, or added. */
const CHANGES: Change[] = [
  ["as written", () => undefined],
  ["format_version 2", (e) => (e.format_version = 2)],
  ["format_version '1'", (e) => (e.format_version = "1")],
  ["another key", (e) => (e.key = "cd".repeat(32))],
  ["no provider", (e) => delete e.provider],
  ["model a number", (e) => (e.model = 4)],
  ["no template", (e) => delete e.template],
  ["fields kept", (e) => (e.fields = { request: {} })],
  ["response null", (e) => (e.response = null)],
  ["response an array", (e) => (e.response = [])],
  ["no text", (_, r) => delete r.text],
  ["text a number", (_, r) => (r.text = 1)],
  ["empty text", (_, r) => (r.text = "")],
  ["no usage", (_, r) => delete r.usage],
  ["usage an array", (_, r) => (r.usage = [1, 2])],
  ["no input_tokens", (_, r) => delete (r.usage as Record<string, unknown>).input_tokens],
  ["no output_tokens", (_, r) => delete (r.usage as Record<string, unknown>).output_tokens],
  ["negative count", (_, r) => ((r.usage as Record<string, unknown>).output_tokens = -1)],
  ["fractional count", (_, r) => ((r.usage as Record<string, unknown>).input_tokens = 1.5)],
  ["unsafe count", (_, r) => ((r.usage as Record<string, unknown>).input_tokens = 2 ** 53)],
  ["count a string", (_, r) => ((r.usage as Record<string, unknown>).input_tokens = "12")],
  ["count null", (_, r) => ((r.usage as Record<string, unknown>).reasoning_tokens = null)],
  ["every count", (_, r) => Object.assign(r.usage as object, { reasoning_tokens: 3, cache_write_tokens: 0 })],
  ["unknown count", (_, r) => ((r.usage as Record<string, unknown>).audio_tokens = 3)],
  ["usage __proto__", (_, r) => (r.usage = JSON.parse('{"input_tokens":1,"output_tokens":2,"__proto__":{}}'))],
  ["no latency", (_, r) => delete r.latency_ms],
  ["latency a string", (_, r) => (r.latency_ms = "412")],
  ["fractional latency", (_, r) => (r.latency_ms = 0.25)],
  ["negative latency", (_, r) => (r.latency_ms = -3)],
  ["no model", (_, r) => delete r.model],
  ["no stop", (_, r) => delete r.stop],
  ["stop truncated", (_, r) => (r.stop = "truncated")],
  ["stop unknown", (_, r) => (r.stop = "length")],
  ["stop null", (_, r) => (r.stop = null)],
  ["no stop_reason", (_, r) => delete r.stop_reason],
  ["stop_reason a number", (_, r) => (r.stop_reason = 2)],
  ["unknown response field", (_, r) => (r.cached = true)],
  ["fields in another order", (e, r) => (e.response = Object.fromEntries(Object.entries(r).reverse()))],
];

describe("reading a cache entry", () => {
  it.each(CHANGES)("%s: the same answer as the schema's, or the same refusal", (_, change) => {
    const entry = written();
    change(entry, entry.response as Record<string, unknown>);
    const value = JSON.parse(JSON.stringify(entry));
    const read = entryResponse(value, KEY);
    expect(read === undefined ? undefined : JSON.stringify(read)).toEqual(bySchema(value));
  });

  it("an entry as written is read quickly, without zod's parse", () => {
    const parse = vi.spyOn(CacheEntrySchema, "safeParse");
    try {
      expect(entryResponse(written(), KEY)?.usage).toEqual({
        input_tokens: 1825,
        output_tokens: 11,
        cache_read_tokens: 1024,
      });
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
