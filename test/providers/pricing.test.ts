import { describe, expect, it } from "vitest";
import { costOf, findPrice } from "../../src/providers/pricing.js";

describe("findPrice", () => {
  it("finds a model by name and a dated snapshot by its family", () => {
    expect(findPrice("claude-haiku-4-5")).toEqual({ input_per_mtok: 1, output_per_mtok: 5 });
    expect(findPrice("claude-haiku-4-5-20251001")).toEqual({ input_per_mtok: 1, output_per_mtok: 5 });
    expect(findPrice("gpt-4.1-mini-2025-04-14")).toEqual({ input_per_mtok: 0.4, output_per_mtok: 1.6 });
  });

  it("never guesses: a newer sibling or a local model has no price", () => {
    expect(findPrice("claude-opus-4-6")).toBeUndefined();
    expect(findPrice("gpt-4.1-mini-fast")).toBeUndefined();
    expect(findPrice("llama3.1:8b")).toBeUndefined();
  });

  it("lets the bench file's pricing override and extend the table", () => {
    const overrides = { "claude-haiku-4-5": { input_per_mtok: 2, output_per_mtok: 6 }, "llama3.1:8b": { input_per_mtok: 0, output_per_mtok: 0 } };
    expect(findPrice("claude-haiku-4-5", overrides)).toEqual({ input_per_mtok: 2, output_per_mtok: 6 });
    expect(findPrice("llama3.1:8b", overrides)).toEqual({ input_per_mtok: 0, output_per_mtok: 0 });
  });
});

describe("costOf", () => {
  it("prices input and output tokens per million", () => {
    expect(costOf({ input_tokens: 2_000_000, output_tokens: 500_000 }, { input_per_mtok: 3, output_per_mtok: 15 })).toBeCloseTo(13.5, 10);
  });
});
