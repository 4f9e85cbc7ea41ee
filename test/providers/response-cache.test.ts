import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunError } from "../../src/errors.js";
import { cacheKey, ResponseCache, type CacheKeyFields } from "../../src/providers/response-cache.js";
import { tempDir } from "../cli/helpers.js";

const fields: CacheKeyFields = {
  provider: "openai",
  model: "gpt-4.1-mini",
  base_url: null,
  template: "t@1",
  repeat: 0,
  attempt: 0,
  request: { system: "s", messages: [{ role: "user", content: "u" }], max_tokens: 10, temperature: 0 },
};
const response = { text: "{}", usage: { input_tokens: 3, output_tokens: 1 }, latency_ms: 5, model: "gpt-4.1-mini" };

describe("ResponseCache writes off the event loop", () => {
  it("answers from memory while the file is written, and from disk once flushed", async () => {
    const dir = tempDir("eb-cache-");
    const cache = new ResponseCache(dir);
    const key = cacheKey(fields);
    cache.write(key, fields, response);
    expect(cache.read(key)).toEqual(response);
    await cache.flush();
    expect(new ResponseCache(dir).read(key)).toEqual(response);
    expect(cache.stats().entries).toBe(1);
  });

  it("reports a write that failed when flushed, naming the folder", async () => {
    const blocked = join(tempDir("eb-cache-"), "not-a-folder");
    writeFileSync(blocked, "a file where the cache folder should be");
    const cache = new ResponseCache(blocked);
    cache.write(cacheKey(fields), fields, response);
    const error = await cache.flush().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toContain(`cannot write the model answer cache in ${blocked}`);
    await expect(cache.flush()).resolves.toBeUndefined();
  });
});

describe("cacheKey", () => {
  it("is the SHA-256 of the fields' canonical JSON, byte for byte the same as caches already written hold", () => {
    const odd = {
      provider: "openai",
      model: "gpt-4.1",
      base_url: null,
      template: "judge-junk@2",
      repeat: 0,
      attempt: 1,
      request: { system: 'Rate each memory.\n"quoted" é ✓', messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b\u2028" }], max_tokens: 512, temperature: 0 },
      // keys out of order, an undefined inside an array and one in an object, null, an empty array
      extra: [1, undefined, null, { z: 1, a: [], gone: undefined }],
    } as unknown as CacheKeyFields;
    expect(cacheKey(odd)).toBe("c18034a924a4c18ed3049241940501251578516ad8d881074055ad4a5360fba1");
    expect(cacheKey({ ...fields, request: { ...fields.request, temperature: 0 } })).toBe(cacheKey(fields));
    const escapes = {
      ...fields,
      provider: "anthropic",
      model: "m",
      base_url: "http://x",
      template: "t@1",
      repeat: 1,
      request: {
        system: "tab\there back\\slash nul\u0000 ctl\u001f emoji 😀 lone \ud800 end \udc00",
        messages: [{ role: "user", content: "plain text with no escapes at all" }],
        max_tokens: 1,
        temperature: 0.5,
      },
    } as CacheKeyFields;
    expect(cacheKey(escapes)).toBe("2e96eba23bbcac6cc53ea4ddae6e871a5e298f51452aeb078d6d0fcaef7e5ce1");
  });
});

describe("cache clear --failed", () => {
  it("removes entries holding a failed answer, by their stop reason or, for entries written before stop reasons, by their text", async () => {
    const dir = tempDir("eb-cache-");
    const cache = new ResponseCache(dir);
    const entries = {
      good: { ...response, text: '{"memories": []}', stop: "end" as const },
      truncated: { ...response, text: '{"memories": [{"te', stop: "truncated" as const, stop_reason: "max_tokens" },
      refused: { ...response, text: "I can't help with that.", stop: "refused" as const },
      oldGood: { ...response, text: 'Sure: {"memories": []}' },
      oldEmpty: { ...response, text: "  " },
      oldProse: { ...response, text: "I cannot extract memories from this." },
    };
    const keys = Object.fromEntries(Object.entries(entries).map(([name, entry]) => {
      const key = cacheKey({ ...fields, template: name });
      cache.write(key, { ...fields, template: name }, entry);
      return [name, key];
    }));
    await cache.flush();
    const fresh = new ResponseCache(dir);
    expect(fresh.clearFailed()).toBe(4);
    expect(fresh.stats().entries).toBe(2);
    expect(fresh.read(keys.good!)).toBeDefined();
    expect(fresh.read(keys.oldGood!)).toBeDefined();
    expect(fresh.read(keys.truncated!)).toBeUndefined();
  });
});
