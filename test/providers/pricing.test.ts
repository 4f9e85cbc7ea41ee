import { describe, expect, it } from "vitest";
import {
  BATCH_DISCOUNT,
  BUILT_IN_PRICES,
  costOf,
  EMBEDDING_PRICES,
  findPrice,
  priceTableAge,
  priceWarnings,
  PRICES_AS_OF,
  pricedFromBuiltInTable,
  stalePriceWarning,
} from "../../src/providers/pricing.js";
import type { EmbeddingModel } from "openai/resources/embeddings";
import { ModelPriceSchema } from "../../src/schema/bench-config.js";

const SDK_MODELS = {
  anthropic: [
    "claude-fable-5-2",
    "claude-mythos-5-2",
    "claude-haiku-5-5",
    "claude-sonnet-5-5",
    "claude-fable-5-1",
    "claude-opus-5-5",
    "claude-mythos-5-1",
    "claude-sonnet-5",
    "claude-fable-5",
    "claude-mythos-5",
    "claude-opus-5",
    "claude-opus-4-8",
    "claude-opus-4-7",
    "claude-opus-4-6",
    "claude-sonnet-4-6",
    "claude-haiku-4-5",
    "claude-opus-4-5",
    "claude-sonnet-4-5",
  ],
  openai: [
    "gpt-5.6-sol",
    "gpt-5.6-terra",
    "gpt-5.6-luna",
    "gpt-5.5",
    "gpt-5.4",
    "gpt-5.4-mini",
    "gpt-5.4-nano",
    "gpt-5.2",
    "gpt-5.1",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o",
    "gpt-4o-mini",
    "o3",
    "o4-mini",
  ],
};

/** The embedding models the installed `openai` SDK names (`EmbeddingModel`); the table is checked against it. */
const SDK_EMBEDDING_MODELS: EmbeddingModel[] = [
  "text-embedding-3-small",
  "text-embedding-3-large",
  "text-embedding-ada-002",
];

describe("the built-in table", () => {
  it("prices exactly the current models, each with a valid price and a cache-read rate", () => {
    expect(Object.keys(BUILT_IN_PRICES).sort()).toEqual([...SDK_MODELS.anthropic, ...SDK_MODELS.openai].sort());
    for (const [model, price] of Object.entries(BUILT_IN_PRICES)) {
      expect(ModelPriceSchema.safeParse(price).success, model).toBe(true);
      expect(price.cache_read_per_mtok, model).toBeLessThan(price.input_per_mtok);
    }
  });

  it("gives Anthropic models a cache-write rate and leaves OpenAI's unset (OpenAI bills no cache write)", () => {
    for (const model of SDK_MODELS.anthropic)
      expect(BUILT_IN_PRICES[model]!.cache_write_per_mtok, model).toBeGreaterThan(
        BUILT_IN_PRICES[model]!.input_per_mtok,
      );
    for (const model of SDK_MODELS.openai) expect(BUILT_IN_PRICES[model]!.cache_write_per_mtok, model).toBeUndefined();
  });

  it("holds the list prices as of its date", () => {
    expect(PRICES_AS_OF).toBe("2026-12-01");
    expect(findPrice("claude-fable-5-2")).toEqual({
      input_per_mtok: 8,
      output_per_mtok: 40,
      cache_read_per_mtok: 0.2,
      cache_write_per_mtok: 10,
    });
    expect(findPrice("claude-fable-5")).toEqual({
      input_per_mtok: 10,
      output_per_mtok: 50,
      cache_read_per_mtok: 1,
      cache_write_per_mtok: 12.5,
    });
    expect(findPrice("claude-haiku-5-5")).toEqual({
      input_per_mtok: 0.1,
      output_per_mtok: 0.5,
      cache_read_per_mtok: 0.01,
      cache_write_per_mtok: 0.125,
    });
    expect(findPrice("claude-sonnet-4-6")).toEqual({
      input_per_mtok: 3,
      output_per_mtok: 15,
      cache_read_per_mtok: 0.3,
      cache_write_per_mtok: 3.75,
    });
    expect(findPrice("gpt-5.4-mini")).toEqual({
      input_per_mtok: 0.75,
      output_per_mtok: 4.5,
      cache_read_per_mtok: 0.075,
    });
    expect(findPrice("o4-mini")).toEqual({ input_per_mtok: 1.1, output_per_mtok: 4.4, cache_read_per_mtok: 0.275 });
  });

  it("has no price for a retired model rather than a stale one", () => {
    for (const model of [
      "claude-opus-4-1",
      "claude-opus-4",
      "claude-sonnet-4",
      "claude-3-5-haiku",
      "claude-3-7-sonnet",
      "claude-sonnet-4-20250514",
      "claude-3-5-haiku-20241022",
    ]) {
      expect(findPrice(model), model).toBeUndefined();
    }
  });
});

describe("findPrice", () => {
  it("finds a model by name and a dated snapshot by its family", () => {
    expect(findPrice("claude-haiku-4-5-20251001")).toEqual(BUILT_IN_PRICES["claude-haiku-4-5"]);
    expect(findPrice("claude-opus-4-5-20251101")).toEqual(BUILT_IN_PRICES["claude-opus-4-5"]);
    expect(findPrice("gpt-4.1-2025-04-14")).toEqual(BUILT_IN_PRICES["gpt-4.1"]);
    expect(findPrice("gpt-4.1-mini-2025-04-14")).toEqual({
      input_per_mtok: 0.4,
      output_per_mtok: 1.6,
      cache_read_per_mtok: 0.1,
    });
  });

  it("takes the longest family a snapshot belongs to", () => {
    expect(findPrice("gpt-5.4-mini-2026-03-17")).toEqual(BUILT_IN_PRICES["gpt-5.4-mini"]);
    expect(findPrice("gpt-5.4-nano-2026-03-17")).toEqual(BUILT_IN_PRICES["gpt-5.4-nano"]);
    expect(findPrice("gpt-5-mini-2025-08-07")).toEqual(BUILT_IN_PRICES["gpt-5-mini"]);
    expect(findPrice("gpt-5-2025-08-07")).toEqual(BUILT_IN_PRICES["gpt-5"]);
    // In overrides too, whatever order they are written in.
    const overrides = {
      x: { input_per_mtok: 1, output_per_mtok: 1 },
      "x-mini": { input_per_mtok: 2, output_per_mtok: 2 },
    };
    expect(findPrice("x-mini-20260101", overrides)).toEqual({ input_per_mtok: 2, output_per_mtok: 2 });
    expect(findPrice("x-mini-20260101", { "x-mini": overrides["x-mini"], x: overrides.x })).toEqual({
      input_per_mtok: 2,
      output_per_mtok: 2,
    });
  });

  it("never guesses: a newer sibling, a variant or a local model has no price", () => {
    expect(findPrice("claude-opus-4-9")).toBeUndefined();
    expect(findPrice("gpt-4.1-mini-fast")).toBeUndefined();
    expect(findPrice("gpt-5.2-pro")).toBeUndefined();
    expect(findPrice("gpt-5.4-mini-2026-03")).toBeUndefined();
    expect(findPrice("llama3.1:8b")).toBeUndefined();
    expect(findPrice("constructor")).toBeUndefined();
  });

  it("lets the bench file's pricing override and extend the table", () => {
    const overrides = {
      "claude-haiku-4-5": { input_per_mtok: 2, output_per_mtok: 6 },
      "llama3.1:8b": { input_per_mtok: 0, output_per_mtok: 0 },
    };
    expect(findPrice("claude-haiku-4-5", overrides)).toEqual({ input_per_mtok: 2, output_per_mtok: 6 });
    expect(findPrice("claude-haiku-4-5-20251001", overrides)).toEqual({ input_per_mtok: 2, output_per_mtok: 6 });
    expect(findPrice("llama3.1:8b", overrides)).toEqual({ input_per_mtok: 0, output_per_mtok: 0 });
    expect(pricedFromBuiltInTable("claude-haiku-4-5", overrides)).toBe(false);
    expect(pricedFromBuiltInTable("claude-sonnet-4-5", overrides)).toBe(true);
    expect(pricedFromBuiltInTable("llama3.1:8b", overrides)).toBe(false);
    expect(pricedFromBuiltInTable("llama3.1:8b")).toBe(false);
  });
});

describe("costOf", () => {
  const sonnet = { input_per_mtok: 3, output_per_mtok: 15, cache_read_per_mtok: 0.3, cache_write_per_mtok: 3.75 };

  it("prices input and output tokens per million", () => {
    expect(
      costOf({ input_tokens: 2_000_000, output_tokens: 500_000 }, { input_per_mtok: 3, output_per_mtok: 15 }),
    ).toBeCloseTo(13.5, 10);
  });

  it("prices cache reads and writes at their own rates, and reasoning as the output it is part of", () => {
    // 1 M × $3 + 4 M × $0.30 + 2 M × $3.75 + 0.5 M × $15 (0.2 M of it reasoning) = 3 + 1.2 + 7.5 + 7.5.
    const usage = {
      input_tokens: 1_000_000,
      output_tokens: 500_000,
      reasoning_tokens: 200_000,
      cache_read_tokens: 4_000_000,
      cache_write_tokens: 2_000_000,
    };
    expect(costOf(usage, sonnet)).toBeCloseTo(19.2, 10);
    // One call of claude-haiku-5-5: 1,200 uncached, 30,000 read, 5,000 written, 800 out.
    const haiku = findPrice("claude-haiku-5-5")!;
    expect(
      costOf({ input_tokens: 1200, output_tokens: 800, cache_read_tokens: 30_000, cache_write_tokens: 5000 }, haiku),
    ).toBeCloseTo(0.000_12 + 0.000_3 + 0.000_625 + 0.000_4, 12);
  });

  it("prices cache tokens at the input price when the price names no cache rate", () => {
    const plain = { input_per_mtok: 2, output_per_mtok: 8 };
    expect(
      costOf(
        { input_tokens: 1_000_000, output_tokens: 0, cache_read_tokens: 1_000_000, cache_write_tokens: 1_000_000 },
        plain,
      ),
    ).toBeCloseTo(6, 10);
    // OpenAI: reads at their rate, writes (unset) at the input price.
    const gpt = findPrice("gpt-4.1")!;
    expect(
      costOf({ input_tokens: 0, output_tokens: 0, cache_read_tokens: 1_000_000, cache_write_tokens: 1_000_000 }, gpt),
    ).toBeCloseTo(0.5 + 2, 10);
  });

  it("applies the batch discount to every kind of token", () => {
    const usage = {
      input_tokens: 1_000_000,
      output_tokens: 500_000,
      cache_read_tokens: 4_000_000,
      cache_write_tokens: 2_000_000,
    };
    expect(BATCH_DISCOUNT).toBe(0.5);
    expect(costOf(usage, sonnet, true)).toBeCloseTo(9.6, 10);
  });
});

describe("the table's age", () => {
  it("counts whole calendar months since PRICES_AS_OF", () => {
    expect(priceTableAge(new Date("2026-11-15T00:00:00Z"))).toBe(0);
    expect(priceTableAge(new Date("2026-12-31T23:59:59Z"))).toBe(0);
    expect(priceTableAge(new Date("2027-01-01T00:00:00Z"))).toBe(1);
    expect(priceTableAge(new Date("2027-06-01T00:00:00Z"))).toBe(6);
    expect(priceTableAge(new Date("2027-09-15T00:00:00Z"))).toBe(9);
    expect(priceTableAge(new Date("2028-12-01T00:00:00Z"))).toBe(24);
  });

  it("warns once the table is more than six months old, never before", () => {
    expect(stalePriceWarning(new Date("2026-12-06T00:00:00Z"))).toBeUndefined();
    expect(stalePriceWarning(new Date("2027-06-01T00:00:00Z"))).toBeUndefined();
    expect(stalePriceWarning(new Date("2027-06-02T00:00:00Z"))).toBe(
      "the built-in price table is from 2026-12-01 (6 months old): check current prices and override them with `pricing:` in the bench file",
    );
    expect(stalePriceWarning(new Date("2027-09-15T00:00:00Z"))).toContain("(9 months old)");
  });

  it("warns a run only when one of its models is priced from the built-in table", () => {
    const old = new Date("2027-09-15T00:00:00Z");
    const local = { "llama3.1:8b": { input_per_mtok: 0, output_per_mtok: 0 } };
    expect(priceWarnings(["llama3.1:8b", "gpt-5.4-mini-2026-03-17"], local, old)).toEqual([stalePriceWarning(old)]);
    expect(priceWarnings(["llama3.1:8b", "my-model"], local, old)).toEqual([]);
    expect(priceWarnings(["gpt-4.1"], { "gpt-4.1": { input_per_mtok: 2, output_per_mtok: 8 } }, old)).toEqual([]);
    expect(priceWarnings(["gpt-4.1"], {}, new Date("2027-01-01T00:00:00Z"))).toEqual([]);
  });
});

describe("the embedding models' prices", () => {
  it("price every embedding model the SDK names, input only, at the list price", () => {
    expect(Object.keys(EMBEDDING_PRICES).sort()).toEqual([...SDK_EMBEDDING_MODELS].sort());
    for (const [model, price] of Object.entries(EMBEDDING_PRICES)) {
      expect(ModelPriceSchema.safeParse(price).success, model).toBe(true);
      expect(price.output_per_mtok, model).toBe(0);
    }
    expect(findPrice("text-embedding-3-small")?.input_per_mtok).toBe(0.02);
    expect(findPrice("text-embedding-3-large")?.input_per_mtok).toBe(0.13);
    expect(findPrice("text-embedding-ada-002")?.input_per_mtok).toBe(0.1);
    expect(costOf({ input_tokens: 2_000_000, output_tokens: 0 }, findPrice("text-embedding-3-large")!)).toBeCloseTo(
      0.26,
      10,
    );
  });

  it("count as built-in, and the bench file's pricing overrides them", () => {
    expect(pricedFromBuiltInTable("text-embedding-3-small")).toBe(true);
    const override = { "text-embedding-3-small": { input_per_mtok: 0.01, output_per_mtok: 0 } };
    expect(findPrice("text-embedding-3-small", override)?.input_per_mtok).toBe(0.01);
    expect(pricedFromBuiltInTable("text-embedding-3-small", override)).toBe(false);
  });
});
