import type { ModelPrice } from "../schema/bench-config.js";
import type { Usage } from "../schema/dry-run.js";

/**
 * List prices in USD per million tokens, as published when this table was last updated. Override
 * or extend them with the bench file's `pricing`; a model found in neither is reported as unpriced.
 */
export const BUILT_IN_PRICES: Record<string, ModelPrice> = {
  "claude-opus-4-5": { input_per_mtok: 5, output_per_mtok: 25 },
  "claude-opus-4-1": { input_per_mtok: 15, output_per_mtok: 75 },
  "claude-opus-4": { input_per_mtok: 15, output_per_mtok: 75 },
  "claude-sonnet-4-5": { input_per_mtok: 3, output_per_mtok: 15 },
  "claude-sonnet-4": { input_per_mtok: 3, output_per_mtok: 15 },
  "claude-haiku-4-5": { input_per_mtok: 1, output_per_mtok: 5 },
  "claude-3-5-haiku": { input_per_mtok: 0.8, output_per_mtok: 4 },
  "gpt-5": { input_per_mtok: 1.25, output_per_mtok: 10 },
  "gpt-5-mini": { input_per_mtok: 0.25, output_per_mtok: 2 },
  "gpt-5-nano": { input_per_mtok: 0.05, output_per_mtok: 0.4 },
  "gpt-4.1": { input_per_mtok: 2, output_per_mtok: 8 },
  "gpt-4.1-mini": { input_per_mtok: 0.4, output_per_mtok: 1.6 },
  "gpt-4.1-nano": { input_per_mtok: 0.1, output_per_mtok: 0.4 },
  "gpt-4o": { input_per_mtok: 2.5, output_per_mtok: 10 },
  "gpt-4o-mini": { input_per_mtok: 0.15, output_per_mtok: 0.6 },
};

/** A dated snapshot of a model family: `claude-haiku-4-5-20251001`, `gpt-4.1-2025-04-14`. */
const SNAPSHOT_SUFFIX = /^-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * The price of a model: its exact name, or the family name of a dated snapshot; overrides win over
 * the built-in table. Any other name (a newer model, a local one) has no price rather than a guess.
 */
export function findPrice(model: string, overrides: Record<string, ModelPrice> = {}): ModelPrice | undefined {
  for (const table of [overrides, BUILT_IN_PRICES]) {
    if (table[model]) return table[model];
    const family = Object.keys(table).find((name) => model.startsWith(name) && SNAPSHOT_SUFFIX.test(model.slice(name.length)));
    if (family) return table[family];
  }
  return undefined;
}

/** Both providers bill the calls of their batch APIs at half the live price. */
export const BATCH_DISCOUNT = 0.5;

/** USD for a call's tokens; `batched` calls at the batch discount. */
export function costOf(usage: Usage, price: ModelPrice, batched = false): number {
  const live = (usage.input_tokens * price.input_per_mtok + usage.output_tokens * price.output_per_mtok) / 1_000_000;
  return batched ? live * BATCH_DISCOUNT : live;
}
