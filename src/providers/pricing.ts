import type { ModelPrice } from "../schema/bench-config.js";
import type { Usage } from "../schema/dry-run.js";

/** The day the built-in table was last checked against the providers' price lists. */
export const PRICES_AS_OF = "2026-12-01";

/** Where the built-in prices come from, for a user checking them. */
export const PRICES_SOURCE =
  "the providers' published list prices (standard tier, no batch discount): https://docs.anthropic.com/en/docs/about-claude/pricing " +
  "and https://platform.openai.com/docs/pricing; Anthropic cache writes at the 5-minute rate";

/** Past this many months the table is likely to have drifted from the price lists; runs that use it warn. */
export const STALE_AFTER_MONTHS = 6;

const anthropic = (input: number, output: number, cacheRead: number, cacheWrite: number): ModelPrice => ({
  input_per_mtok: input,
  output_per_mtok: output,
  cache_read_per_mtok: cacheRead,
  cache_write_per_mtok: cacheWrite,
});

// OpenAI caches prompts on its own and bills no cache write: written tokens cost the input price, the default.
const openai = (input: number, output: number, cacheRead: number): ModelPrice => ({
  input_per_mtok: input,
  output_per_mtok: output,
  cache_read_per_mtok: cacheRead,
});

/**
 * List prices in USD per million tokens as of PRICES_AS_OF, for the current models of the installed
 * SDKs. Override or extend them with the bench file's `pricing`; a model found in neither is
 * reported as unpriced. Retired models are left out on purpose: a retired model has no price rather
 * than a stale one.
 */
export const BUILT_IN_PRICES: Record<string, ModelPrice> = {
  "claude-fable-5-2": anthropic(8, 40, 0.2, 10),
  "claude-mythos-5-2": anthropic(8, 40, 0.2, 10),
  "claude-fable-5-1": anthropic(10, 50, 0.25, 12.5),
  "claude-mythos-5-1": anthropic(10, 50, 0.25, 12.5),
  "claude-fable-5": anthropic(10, 50, 1, 12.5),
  "claude-mythos-5": anthropic(10, 50, 1, 12.5),
  "claude-opus-5-5": anthropic(4, 20, 0.2, 5),
  "claude-opus-5": anthropic(5, 25, 0.5, 6.25),
  "claude-opus-4-8": anthropic(5, 25, 0.5, 6.25),
  "claude-opus-4-7": anthropic(5, 25, 0.5, 6.25),
  "claude-opus-4-6": anthropic(5, 25, 0.5, 6.25),
  "claude-opus-4-5": anthropic(5, 25, 0.5, 6.25),
  "claude-sonnet-5-5": anthropic(2, 10, 0.1, 2.5),
  "claude-sonnet-5": anthropic(2, 10, 0.2, 2.5),
  "claude-sonnet-4-6": anthropic(3, 15, 0.3, 3.75),
  "claude-sonnet-4-5": anthropic(3, 15, 0.3, 3.75),
  // Prompts up to 100K tokens: longer prompts bill at 5× these rates. The table prices the lower band
  // only; a run whose prompts pass 100K tokens should set this model's price under `pricing`.
  "claude-haiku-5-5": anthropic(0.1, 0.5, 0.01, 0.125),
  "claude-haiku-4-5": anthropic(1, 5, 0.1, 1.25),
  "gpt-5.6-sol": openai(5, 30, 0.5),
  "gpt-5.6-terra": openai(2.5, 15, 0.25),
  "gpt-5.6-luna": openai(1, 6, 0.1),
  "gpt-5.5": openai(5, 30, 0.5),
  "gpt-5.4": openai(2.5, 15, 0.25),
  "gpt-5.4-mini": openai(0.75, 4.5, 0.075),
  "gpt-5.4-nano": openai(0.2, 1.25, 0.02),
  "gpt-5.2": openai(1.75, 14, 0.175),
  "gpt-5.1": openai(1.25, 10, 0.125),
  "gpt-5": openai(1.25, 10, 0.125),
  "gpt-5-mini": openai(0.25, 2, 0.025),
  "gpt-5-nano": openai(0.05, 0.4, 0.005),
  "gpt-4.1": openai(2, 8, 0.5),
  "gpt-4.1-mini": openai(0.4, 1.6, 0.1),
  "gpt-4.1-nano": openai(0.1, 0.4, 0.025),
  "gpt-4o": openai(2.5, 10, 1.25),
  "gpt-4o-mini": openai(0.15, 0.6, 0.075),
  o3: openai(2, 8, 0.5),
  "o4-mini": openai(1.1, 4.4, 0.275),
};

/**
 * Embedding models' list prices in USD per million input tokens as of PRICES_AS_OF (an embedding
 * call bills its input only), for the models the installed `openai` SDK names. The retrieval
 * simulation's `embeddings` retriever is priced from here or from the bench file's `pricing`.
 */
export const EMBEDDING_PRICES: Record<string, ModelPrice> = {
  "text-embedding-3-small": { input_per_mtok: 0.02, output_per_mtok: 0 },
  "text-embedding-3-large": { input_per_mtok: 0.13, output_per_mtok: 0 },
  "text-embedding-ada-002": { input_per_mtok: 0.1, output_per_mtok: 0 },
};

/** A dated snapshot of a model family: `claude-haiku-4-5-20251001`, `gpt-4.1-2025-04-14`. */
const SNAPSHOT_SUFFIX = /^-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;

/** The entry of one table for a model: its exact name, else the longest family name of which it is a dated snapshot. */
function lookUp(table: Record<string, ModelPrice>, model: string): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  // The longest family wins, so a snapshot of `gpt-5.4-mini` can never be priced as `gpt-5.4` or `gpt-5`.
  let family: string | undefined;
  for (const name of Object.keys(table)) {
    if (
      model.startsWith(name) &&
      SNAPSHOT_SUFFIX.test(model.slice(name.length)) &&
      (family === undefined || name.length > family.length)
    )
      family = name;
  }
  return family === undefined ? undefined : table[family];
}

/**
 * The price of a model: its exact name, or the family name of a dated snapshot; overrides win over
 * the built-in table. Any other name (a newer model, a local one) has no price rather than a guess.
 */
export function findPrice(model: string, overrides: Record<string, ModelPrice> = {}): ModelPrice | undefined {
  return lookUp(overrides, model) ?? builtInPrice(model);
}

/** A model's price in the built-in tables (chat models, then embedding models). */
function builtInPrice(model: string): ModelPrice | undefined {
  return lookUp(BUILT_IN_PRICES, model) ?? lookUp(EMBEDDING_PRICES, model);
}

/** Whether a model's price comes from the built-in table (not from the bench file's `pricing`). */
export function pricedFromBuiltInTable(model: string, overrides: Record<string, ModelPrice> = {}): boolean {
  return lookUp(overrides, model) === undefined && builtInPrice(model) !== undefined;
}

/** Both providers bill the calls of their batch APIs at half the live price. */
export const BATCH_DISCOUNT = 0.5;

/**
 * USD for a call's tokens; `batched` calls at the batch discount. Uncached input at the input price,
 * prompt-cache reads and writes at their own rates (the input price when the price names none), and
 * output, reasoning included, at the output price.
 */
export function costOf(usage: Usage, price: ModelPrice, batched = false): number {
  const cacheRead = (usage.cache_read_tokens ?? 0) * (price.cache_read_per_mtok ?? price.input_per_mtok);
  const cacheWrite = (usage.cache_write_tokens ?? 0) * (price.cache_write_per_mtok ?? price.input_per_mtok);
  const live =
    (usage.input_tokens * price.input_per_mtok + cacheRead + cacheWrite + usage.output_tokens * price.output_per_mtok) /
    1_000_000;
  return batched ? live * BATCH_DISCOUNT : live;
}

/** Whole calendar months from PRICES_AS_OF to `now` (UTC), 0 when `now` is earlier. */
export function priceTableAge(now: Date): number {
  const [year, month, day] = PRICES_AS_OF.split("-").map(Number) as [number, number, number];
  const months =
    (now.getUTCFullYear() - year) * 12 + (now.getUTCMonth() + 1 - month) - (now.getUTCDate() < day ? 1 : 0);
  return Math.max(0, months);
}

/** A warning when PRICES_AS_OF is more than STALE_AFTER_MONTHS before `now`; undefined while the table is recent. */
export function stalePriceWarning(now: Date): string | undefined {
  const [year, month, day] = PRICES_AS_OF.split("-").map(Number) as [number, number, number];
  if (now.getTime() <= Date.UTC(year, month - 1 + STALE_AFTER_MONTHS, day)) return undefined;
  return `the built-in price table is from ${PRICES_AS_OF} (${priceTableAge(now)} months old): check current prices and override them with \`pricing:\` in the bench file`;
}

/** The stale-table warning for a run using these models, when any of them is priced from the built-in table. */
export function priceWarnings(models: string[], overrides: Record<string, ModelPrice>, now: Date): string[] {
  const warning = models.some((model) => pricedFromBuiltInTable(model, overrides)) ? stalePriceWarning(now) : undefined;
  return warning === undefined ? [] : [warning];
}
