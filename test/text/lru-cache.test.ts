import { describe, expect, it } from "vitest";
import { LruCache } from "../../src/text/lru-cache.js";
import { TOKEN_CACHE_LIMIT, tokenSet } from "../../src/text/tokens.js";

describe("LruCache", () => {
  it("forgets the least recently used entry when full, one at a time", () => {
    const cache = new LruCache<string, number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1); // a is now the most recently used
    cache.set("d", 4);
    expect(cache.size).toBe(3);
    expect(cache.has("b")).toBe(false);
    expect(["a", "c", "d"].map((key) => cache.has(key))).toEqual([true, true, true]);
    cache.set("e", 5);
    expect(cache.has("c")).toBe(false);
    expect(cache.get("a")).toBe(1);
  });

  it("counts a set of a held key as a use, and has() as none", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.has("a");
    cache.set("a", 10);
    cache.set("c", 3);
    expect(cache.has("b")).toBe(false);
    expect(cache.get("a")).toBe(10);
  });

  it("holds what a plain list kept in order of use would hold, over many mixed uses", () => {
    const cache = new LruCache<number, number>(7);
    let order: number[] = []; // least recently used first
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647) % 20;
    for (let step = 0; step < 5_000; step++) {
      const key = next();
      if (step % 3 === 0) {
        const expected = order.includes(key) ? key * 10 : undefined;
        expect(cache.get(key)).toBe(expected);
        if (expected !== undefined) order = [...order.filter((k) => k !== key), key];
      } else {
        cache.set(key, key * 10);
        order = [...order.filter((k) => k !== key), key].slice(-7);
      }
      expect(cache.size).toBe(order.length);
    }
    for (let key = 0; key < 20; key++) expect(cache.has(key)).toBe(order.includes(key));
  });

  it("refuses a limit that is not a whole number from 1 and up, saying what it got", () => {
    expect(() => new LruCache(0)).toThrow("Expected `limit` to be a whole number from 1 and up, got 0");
  });
});

describe("tokenSet's cache", () => {
  it("keeps a text in use while more than its limit of other texts go through it", () => {
    const kept = "Alice works at Globex as a data engineer";
    const first = tokenSet(kept);
    for (let i = 0; i <= TOKEN_CACHE_LIMIT; i++) {
      tokenSet(`note ${i}`);
      if (i % 1000 === 0) tokenSet(kept);
    }
    expect(tokenSet(kept)).toBe(first);
  });
});
