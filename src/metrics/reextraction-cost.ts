import { costOf, findPrice } from "../providers/pricing.js";
import { callsPaidModel } from "../providers/registry.js";
import type { ModelPrice, ProviderLimits, StoreSize } from "../schema/bench-config.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import type { ModelUsage } from "../schema/model-usage.js";
import type { DurationBound, Reextraction, ReextractionSide } from "../schema/report.js";
import { CONFIG_ROLES } from "../schema/constants.js";
import type { ConfigRole } from "../schema/run-log.js";
import { formatRate } from "../text/format-number.js";
import type { RunData } from "./run-data.js";

/** Anthropic Message Batches and OpenAI Batch both promise results within 24 hours; most finish sooner, none is promised sooner. */
export const BATCH_WINDOW_HOURS = 24;
/** Both providers' batch APIs bill half the live price. */
export const BATCH_PRICE_FACTOR = 0.5;
const MINUTE_MS = 60_000;

/** What one config's successful dry runs add up to. */
export interface DryRunSample {
  dryRuns: number;
  turns: number;
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from and written to the provider's prompt cache (not in inputTokens). */
  cacheReadTokens: number;
  cacheWriteTokens: number;
  calls: number;
  latencyMs: number;
}

export function emptyDryRunSample(): DryRunSample {
  return {
    dryRuns: 0,
    turns: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    calls: 0,
    latencyMs: 0,
  };
}

/** Add one dry run to a sample; a failed one is left out (its tokens would understate a conversation). */
export function addDryRun(sample: DryRunSample, result: DryRunResult): void {
  if (result.error) return;
  sample.dryRuns++;
  sample.turns += result.counts.turns;
  sample.inputTokens += result.usage.input_tokens;
  sample.outputTokens += result.usage.output_tokens;
  sample.cacheReadTokens += result.usage.cache_read_tokens ?? 0;
  sample.cacheWriteTokens += result.usage.cache_write_tokens ?? 0;
  sample.calls += result.counts.extract_calls;
  sample.latencyMs += result.latency_ms;
}

/** Fold dry runs into a sample. */
export function sampleDryRuns(results: Iterable<DryRunResult>): DryRunSample {
  const sample = emptyDryRunSample();
  for (const result of results) addDryRun(sample, result);
  return sample;
}

export interface SideInput {
  config: ExtractorConfig;
  sample: DryRunSample;
  /** The extractor's model account of the run, when it made model calls: tells cache hits from measured latency. */
  usage?: ModelUsage | undefined;
}

export interface ReextractionInput {
  store: StoreSize;
  /** Dry runs in flight at once. */
  concurrency: number;
  pricing: Record<string, ModelPrice>;
  rateLimits: Partial<Record<string, ProviderLimits>>;
  sides: Record<ConfigRole, SideInput>;
}

type TokenCounts = NonNullable<ReextractionSide["projected"]>["tokens"];

/**
 * Tokens divided by `by`; the prompt-cache counts only when the sample has any, so a run without
 * prompt caching reports the same shape as before they were counted.
 */
function tokensPer(sample: DryRunSample, by: number): TokenCounts {
  const per = (n: number) => (by === 0 ? 0 : n / by);
  const counts: TokenCounts = { input: per(sample.inputTokens), output: per(sample.outputTokens) };
  if (sample.cacheReadTokens > 0 || sample.cacheWriteTokens > 0)
    Object.assign(counts, { cache_read: per(sample.cacheReadTokens), cache_write: per(sample.cacheWriteTokens) });
  return counts;
}

function scaled(counts: TokenCounts, factor: number): TokenCounts {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, n * factor])) as TokenCounts;
}

/** Every input token, uncached or read from or written to the prompt cache. */
export function allInputTokens(counts: TokenCounts): number {
  return counts.input + (counts.cache_read ?? 0) + (counts.cache_write ?? 0);
}

function notMeasurable(
  side: Omit<ReextractionSide, "measured" | "projected" | "cost_usd" | "duration" | "batch_window_hours" | "reasons">,
  reason: string,
): ReextractionSide {
  return {
    ...side,
    measured: null,
    projected: null,
    cost_usd: null,
    duration: null,
    batch_window_hours: side.calls_models ? BATCH_WINDOW_HOURS : null,
    reasons: [reason],
  };
}

/** The slowest bound that could be computed, and which it is; null when none could. */
function slowest(bounds: Record<DurationBound, number | null>): {
  live_ms: number | null;
  bound: DurationBound | null;
} {
  let best: { live_ms: number | null; bound: DurationBound | null } = { live_ms: null, bound: null };
  for (const [name, ms] of Object.entries(bounds) as [DurationBound, number | null][]) {
    if (ms !== null && (best.live_ms === null || ms > best.live_ms)) best = { live_ms: ms, bound: name };
  }
  return best;
}

function estimateSide(input: ReextractionInput, role: ConfigRole): ReextractionSide {
  const { config, sample, usage } = input.sides[role];
  const provider = config.extractor.provider;
  const model = config.extractor.model ?? provider;
  const base = { name: config.name, provider, model, calls_models: callsPaidModel(provider) };
  if (!base.calls_models) {
    return notMeasurable(
      base,
      `the ${provider} extractor calls no model the bench can price: the cost of re-extracting with it is not measurable here`,
    );
  }
  if (sample.dryRuns === 0) return notMeasurable(base, "no successful dry run to measure tokens and latency on");

  const reasons: string[] = [];
  const n = sample.dryRuns;
  const allCached = usage !== undefined && usage.calls === 0 && usage.cache_hits > 0;
  // A batched call waits for its batch: its latency says nothing about a live re-extraction.
  const batched = usage !== undefined && usage.batch_calls > 0;
  if (batched)
    reasons.push(
      `${usage.batch_calls} extract calls went through the provider's batch API: their latency is the batch's, so the live duration was not measured; run without --batch to measure it`,
    );
  else if (allCached)
    reasons.push(
      "every extract call of this run was answered from the cache: the latency (and the duration it bounds) was not measured; run with the cache off to measure it",
    );
  else if (usage && usage.cache_hits > 0)
    reasons.push(
      `${usage.cache_hits} of ${usage.calls + usage.cache_hits} extract calls were answered from the cache: the measured latency, and the duration, are understated`,
    );
  const measured: NonNullable<ReextractionSide["measured"]> = {
    dry_runs: n,
    turns: sample.turns,
    per_conversation: tokensPer(sample, n),
    per_turn: tokensPer(sample, sample.turns),
    calls_per_conversation: sample.calls / n,
    latency_ms: allCached || batched ? null : sample.latencyMs / n,
  };

  // Tokens follow the unit the store is given in; the other unit comes from the measured turns per conversation.
  const turnsPerConversation = sample.turns / n;
  const { store } = input;
  const conversations = store.conversations ?? (turnsPerConversation === 0 ? 0 : store.turns! / turnsPerConversation);
  const turns = store.turns ?? store.conversations! * turnsPerConversation;
  const tokens =
    store.conversations !== undefined
      ? scaled(measured.per_conversation, conversations)
      : scaled(measured.per_turn, turns);
  const projected = { conversations, turns, tokens };

  const price = findPrice(model, input.pricing);
  let cost: ReextractionSide["cost_usd"] = null;
  if (price) {
    const usageOfStore = {
      input_tokens: tokens.input,
      output_tokens: tokens.output,
      cache_read_tokens: tokens.cache_read ?? 0,
      cache_write_tokens: tokens.cache_write ?? 0,
    };
    const live = costOf(usageOfStore, price);
    cost = { live, batched: live * BATCH_PRICE_FACTOR };
    if (sample.cacheReadTokens > 0) {
      // Cache reads cost a half down to a fortieth of the input price: the projection holds only if the re-extraction hits the cache as often.
      const share = sample.cacheReadTokens / (sample.inputTokens + sample.cacheReadTokens + sample.cacheWriteTokens);
      reasons.push(
        `${formatRate(share, 0)} of the measured input tokens were prompt-cache reads, priced at the cache-read rate: the cost assumes a re-extraction hits the cache as often as this run did`,
      );
    }
  } else {
    reasons.push(
      `the model ${model} has no price in the built-in table or the bench file's \`pricing\`: the cost is not measurable until it is added there`,
    );
  }

  const limits = input.rateLimits[provider];
  const rpm = limits?.requests_per_minute;
  const tpm = limits?.tokens_per_minute;
  const bounds_ms = {
    latency: measured.latency_ms === null ? null : (conversations * measured.latency_ms) / input.concurrency,
    requests_per_minute: rpm ? ((conversations * measured.calls_per_conversation) / rpm) * MINUTE_MS : null,
    // Every input token counts, cached ones included: OpenAI counts them against the limit; for Anthropic, which leaves cache reads out, the bound is an upper one.
    tokens_per_minute: tpm ? ((allInputTokens(tokens) + tokens.output) / tpm) * MINUTE_MS : null,
  };
  // Without the latency bound the rate limits alone would understate the duration: no live figure then.
  const duration = { ...(bounds_ms.latency === null ? { live_ms: null, bound: null } : slowest(bounds_ms)), bounds_ms };
  return { ...base, measured, projected, cost_usd: cost, duration, batch_window_hours: BATCH_WINDOW_HOURS, reasons };
}

/**
 * The tokens, cost and duration of re-extracting the whole store with each config, projected from the
 * means of this run's successful dry runs. Pure: the same input, the same estimate.
 */
export function estimateReextraction(input: ReextractionInput): Reextraction {
  const store =
    input.store.conversations !== undefined
      ? { unit: "conversations" as const, size: input.store.conversations }
      : { unit: "turns" as const, size: input.store.turns! };
  return {
    store,
    concurrency: input.concurrency,
    baseline: estimateSide(input, "baseline"),
    candidate: estimateSide(input, "candidate"),
  };
}

/** The estimate for a run whose bench file gives the store's size; null otherwise. */
export function reextractionFromRun(run: RunData): Reextraction | null {
  const { bench, configs } = run.start;
  if (!bench.store) return null;
  const accounts = run.usage?.accounts ?? [];
  const sides = Object.fromEntries(
    CONFIG_ROLES.map((role) => [
      role,
      { config: configs[role].config, sample: run.dryRunSamples[role], usage: accounts.find((a) => a.scope === role) },
    ]),
  ) as Record<ConfigRole, SideInput>;
  return estimateReextraction({
    store: bench.store,
    concurrency: bench.concurrency,
    pricing: bench.pricing,
    rateLimits: bench.rate_limits,
    sides,
  });
}
