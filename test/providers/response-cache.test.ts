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
