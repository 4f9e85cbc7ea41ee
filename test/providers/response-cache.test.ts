import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileSystemCause, RunError } from "../../src/errors.js";
import { z } from "zod";
import { answerFormat } from "../../src/providers/answer-format.js";
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

describe("ResponseCache writes on the event loop's next turn", () => {
  it("answers from memory while the entry is queued, and from disk once flushed", async () => {
    const dir = tempDir("eb-cache-");
    const cache = new ResponseCache(dir);
    const key = cacheKey(fields);
    cache.write(key, fields, response);
    expect(cache.read(key)).toEqual(response);
    expect(new ResponseCache(dir).read(key)).toBeUndefined();
    await cache.flush();
    expect(new ResponseCache(dir).read(key)).toEqual(response);
    expect(cache.stats().entries).toBe(1);
  });

  it("writes every answer queued in one turn on the next, without being flushed", async () => {
    const dir = tempDir("eb-cache-");
    const cache = new ResponseCache(dir);
    const keys = [0, 1, 2].map((repeat) => {
      const each = { ...fields, repeat };
      const key = cacheKey(each);
      cache.write(key, each, { ...response, text: `{"n": ${repeat}}` });
      return key;
    });
    expect(cache.stats().entries).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    const fresh = new ResponseCache(dir);
    expect(keys.map((key) => fresh.read(key)?.text)).toEqual(['{"n": 0}', '{"n": 1}', '{"n": 2}']);
    await cache.flush();
    expect(cache.stats().entries).toBe(3);
  });

  it("turns writing off at the first write that fails, with one warning naming the folder and the cause, and goes on", async () => {
    const blocked = join(tempDir("eb-cache-"), "not-a-folder");
    writeFileSync(blocked, "a file where the cache folder should be");
    const warnings: string[] = [];
    const cache = new ResponseCache(blocked, { onWarning: (message) => warnings.push(message) });
    cache.write(cacheKey(fields), fields, response);
    await expect(cache.flush()).resolves.toBeUndefined();
    cache.write(cacheKey({ ...fields, repeat: 1 }), { ...fields, repeat: 1 }, response);
    await cache.flush();
    expect(warnings).toEqual([
      `cannot write the model answer cache ${blocked}: a file stands where a folder should be (ENOTDIR); the run goes on with the cache off for writing (answers from here on are not cached)`,
    ]);
    expect(cache.degraded).toBe("a file stands where a folder should be (ENOTDIR)");
  });
});

/** A process id no running process has: a child's, once it has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

describe("the cache before the first call", () => {
  it("is made writable and checked, keeping temporary files out of a commit", async () => {
    const dir = join(tempDir("eb-cache-"), "new", "cache");
    await new ResponseCache(dir).preflight();
    expect(readdirSync(dir)).toEqual([".gitignore"]);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toContain("*.tmp");
  });

  it("is refused when it cannot be written, with the cause and what to do", () => {
    const parent = tempDir("eb-cache-");
    writeFileSync(join(parent, "taken"), "");
    let error: unknown;
    try {
      new ResponseCache(join(parent, "taken", "cache")).preflight();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toBe(
      `the model answer cache ${join(parent, "taken", "cache")} cannot be written: a file stands where a folder should be (ENOTDIR). ` +
        "Set cache.dir to a writable folder, or run with --cache read-only (answers read, never written) or --cache off",
    );
  });

  it("names a read-only file system, a refused permission and a full disk as such", () => {
    const failure = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(fileSystemCause(failure("EROFS"))).toBe("it is on a read-only file system (EROFS)");
    expect(fileSystemCause(failure("EACCES"))).toBe(
      "permission denied: it (or a folder above it) is not writable by this user (EACCES)",
    );
    expect(fileSystemCause(failure("ENOSPC"))).toBe("no space left on the device (ENOSPC)");
  });

  it("loses the temporary files of killed processes, and never counts one as an entry", async () => {
    const dir = tempDir("eb-cache-");
    const cache = new ResponseCache(dir);
    const key = cacheKey(fields);
    cache.write(key, fields, response);
    await cache.flush();
    const shard = join(dir, key.slice(0, 2));
    const killed = join(shard, `${key.slice(0, 8)}.json.${deadPid()}.a1b2c3.tmp`);
    const running = join(shard, `${key.slice(0, 8)}.json.${process.pid}.d4e5f6.tmp`);
    writeFileSync(killed, '{"half": ');
    writeFileSync(running, '{"half": ');
    expect(cache.stats().entries).toBe(1);
    await expect(new ResponseCache(dir).preflight()).resolves.toBe(1);
    expect(existsSync(killed)).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(new ResponseCache(dir).stats().entries).toBe(1);
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
      request: {
        system: 'Rate each memory.\n"quoted" é ✓',
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "b\u2028" },
        ],
        max_tokens: 512,
        temperature: 0,
      },
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

  it("keys a request longer than one hashing block (fed to the hash in pieces) as the SHA-256 of its canonical JSON", () => {
    const sorted = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(sorted)
        : value && typeof value === "object"
          ? Object.fromEntries(
              Object.keys(value)
                .sort()
                .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
            )
          : value;
    for (const length of [10, 65_535, 65_536, 200_003]) {
      const long = { ...fields, request: { ...fields.request, system: `é${"x".repeat(length)}✓` } };
      const json = JSON.stringify(sorted({ v: 1, ...long }));
      expect(cacheKey(long)).toBe(createHash("sha256").update(json).digest("hex"));
    }
  });

  it("keys a request whose answer format is frozen (its JSON taken once) exactly as an unfrozen copy", () => {
    const format = answerFormat("memories", z.object({ memories: z.array(z.object({ text: z.string() })) }));
    expect(Object.isFrozen(format.schema)).toBe(true);
    const withFormat = (f: CacheKeyFields["request"]["format"]) => ({
      ...fields,
      request: { ...fields.request, format: f },
    });
    const copy = structuredClone(format);
    const key = cacheKey(withFormat(copy));
    expect(cacheKey(withFormat(format))).toBe(key);
    expect(cacheKey(withFormat(format))).toBe(key);
    // A frozen object holding one that is not: its JSON is taken afresh each time, so a change shows.
    const inner = { type: "string" };
    const partly = Object.freeze({ name: "partly", schema: inner });
    const before = cacheKey(withFormat(partly));
    inner.type = "number";
    expect(cacheKey(withFormat(partly))).not.toBe(before);
    expect(cacheKey(withFormat(partly))).toBe(cacheKey(withFormat({ name: "partly", schema: { type: "number" } })));
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
    const keys = Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => {
        const key = cacheKey({ ...fields, template: name });
        cache.write(key, { ...fields, template: name }, entry);
        return [name, key];
      }),
    );
    await cache.flush();
    const fresh = new ResponseCache(dir);
    expect(fresh.clearFailed()).toBe(4);
    expect(fresh.stats().entries).toBe(2);
    expect(fresh.read(keys.good!)).toBeDefined();
    expect(fresh.read(keys.oldGood!)).toBeDefined();
    expect(fresh.read(keys.truncated!)).toBeUndefined();
  });
});
