import { describe, expect, it } from "vitest";
import {
  estimateReextraction,
  reextractionFromRun,
  sampleDryRuns,
  type ReextractionInput,
} from "../../src/metrics/reextraction-cost.js";
import { formatDuration } from "../../src/report/format.js";
import type { DryRunResult } from "../../src/schema/dry-run.js";
import { ExtractorConfigSchema } from "../../src/schema/extractor-config.js";
import { ModelUsageSchema, type ModelUsage } from "../../src/schema/model-usage.js";
import { coverageRecord, dryRunRecord, makeDryRun, makeRunData, makeRunStart, usefulnessRecord } from "./fixtures.js";

function dryRun(
  turns: number,
  input: number,
  output: number,
  latency: number,
  options: { calls?: number; failed?: boolean } = {},
): DryRunResult {
  return {
    conversation_id: `c-${turns}-${input}`,
    candidates: [],
    counts: {
      turns,
      prefiltered_turns: 0,
      extract_calls: options.calls ?? 1,
      extracted: 0,
      json_failures: 0,
      resolved_by_stage: { exact: 0, alias: 0, fuzzy: 0, fallback: 0 },
      deduped: 0,
    },
    usage: { input_tokens: input, output_tokens: output },
    latency_ms: latency,
    ...(options.failed ? { error: { kind: "provider_error" as const, message: "boom" } } : {}),
  };
}

const config = (name: string, extractor: Record<string, unknown>) =>
  ExtractorConfigSchema.parse({ name, extractor: { schema_version: 1, ...extractor } });
const usage = (calls: number, cacheHits: number): ModelUsage =>
  ModelUsageSchema.parse({
    scope: "candidate",
    provider: "openai",
    model: "gpt-4.1",
    requests: calls,
    calls,
    batch_calls: 0,
    cache_hits: cacheHits,
    retries: 0,
    failures: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
  });

// Two successful dry runs and a failed one (left out): 16 turns, 1,600 input and 300 output tokens, 2 calls, 600 ms.
const RUNS = [dryRun(10, 1000, 200, 400), dryRun(6, 600, 100, 200), dryRun(8, 0, 0, 50, { failed: true })];

function input(overrides: Partial<ReextractionInput> = {}): ReextractionInput {
  return {
    store: { conversations: 100_000 },
    concurrency: 4,
    pricing: {},
    rateLimits: {},
    sides: {
      baseline: {
        config: config("rules-baseline", { provider: "rules" }),
        sample: sampleDryRuns([dryRun(10, 0, 0, 1)]),
      },
      candidate: {
        config: config("gpt-candidate", { provider: "openai", model: "gpt-4.1" }),
        sample: sampleDryRuns(RUNS),
        usage: usage(2, 0),
      },
    },
    ...overrides,
  };
}

describe("sampleDryRuns", () => {
  it("adds up the successful dry runs only", () => {
    expect(sampleDryRuns(RUNS)).toEqual({
      dryRuns: 2,
      turns: 16,
      inputTokens: 1600,
      outputTokens: 300,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      calls: 2,
      latencyMs: 600,
    });
  });
});

describe("estimateReextraction", () => {
  it("projects tokens, cost and the latency-bound duration of a store given in conversations", () => {
    const { candidate, store, concurrency } = estimateReextraction(input());
    expect(store).toEqual({ unit: "conversations", size: 100_000 });
    expect(concurrency).toBe(4);
    expect(candidate.measured).toEqual({
      dry_runs: 2,
      turns: 16,
      per_conversation: { input: 800, output: 150 },
      per_turn: { input: 100, output: 18.75 },
      calls_per_conversation: 1,
      latency_ms: 300,
    });
    // 100,000 × 8 turns; 80 M input and 15 M output tokens.
    expect(candidate.projected).toEqual({
      conversations: 100_000,
      turns: 800_000,
      tokens: { input: 80_000_000, output: 15_000_000 },
    });
    // gpt-4.1 lists at $2 in and $8 out per million: 160 + 120 = $280, half of it batched.
    expect(candidate.cost_usd!.live).toBeCloseTo(280, 9);
    expect(candidate.cost_usd!.batched).toBeCloseTo(140, 9);
    // 100,000 × 300 ms / 4 in flight = 7,500 s.
    expect(candidate.duration).toEqual({
      live_ms: 7_500_000,
      bound: "latency",
      bounds_ms: { latency: 7_500_000, requests_per_minute: null, tokens_per_minute: null },
    });
    expect(formatDuration(candidate.duration!.live_ms)).toBe("2 h 05 min");
    expect(candidate.batch_window_hours).toBe(24);
    expect(candidate.reasons).toEqual([]);
  });

  it("takes the slowest of the latency and rate-limit bounds", () => {
    const { candidate } = estimateReextraction(
      input({ rateLimits: { openai: { concurrency: 4, requests_per_minute: 500, tokens_per_minute: 1_000_000 } } }),
    );
    // 100,000 calls at 500 a minute = 200 min; 95 M tokens at 1 M a minute = 95 min; latency 125 min.
    expect(candidate.duration).toEqual({
      live_ms: 12_000_000,
      bound: "requests_per_minute",
      bounds_ms: { latency: 7_500_000, requests_per_minute: 12_000_000, tokens_per_minute: 5_700_000 },
    });
    const tight = estimateReextraction(
      input({ rateLimits: { openai: { concurrency: 4, tokens_per_minute: 200_000 } } }),
    ).candidate;
    // 95 M tokens at 200 k a minute = 475 min.
    expect(tight.duration).toMatchObject({ live_ms: 28_500_000, bound: "tokens_per_minute" });
  });

  it("projects a store given in turns with the tokens per turn, and its conversations from the turns per conversation", () => {
    const { candidate, store } = estimateReextraction(input({ store: { turns: 160_000 } }));
    expect(store).toEqual({ unit: "turns", size: 160_000 });
    // 160,000 turns / 8 per conversation = 20,000 conversations; 100 and 18.75 tokens per turn.
    expect(candidate.projected).toEqual({
      conversations: 20_000,
      turns: 160_000,
      tokens: { input: 16_000_000, output: 3_000_000 },
    });
    expect(candidate.cost_usd!.live).toBeCloseTo(56, 9); // 16 × 2 + 3 × 8
    expect(candidate.cost_usd!.batched).toBeCloseTo(28, 9);
    expect(candidate.duration!.live_ms).toBe(1_500_000); // 20,000 × 300 ms / 4
  });

  it("says a config that calls no model is not measurable, never $0", () => {
    for (const extractor of [
      { provider: "rules" },
      { provider: "command", command: ["./x"] },
      { provider: "replay", path: "r.jsonl" },
      { provider: "http", url: "http://127.0.0.1:1/x" },
    ]) {
      const side = estimateReextraction(
        input({
          sides: { ...input().sides, baseline: { config: config("other", extractor), sample: sampleDryRuns(RUNS) } },
        }),
      ).baseline;
      expect(side).toMatchObject({
        calls_models: false,
        measured: null,
        projected: null,
        cost_usd: null,
        duration: null,
        batch_window_hours: null,
      });
      expect(side.reasons[0]).toContain(`the ${extractor.provider} extractor calls no model`);
    }
  });

  it("leaves the cost of an unpriced model null with the reason, and prices it from `pricing`", () => {
    const local = {
      config: config("local", { provider: "openai", model: "llama3.1:8b", base_url: "http://127.0.0.1:11434/v1" }),
      sample: sampleDryRuns(RUNS),
    };
    const unpriced = estimateReextraction(input({ sides: { ...input().sides, candidate: local } })).candidate;
    expect(unpriced.cost_usd).toBeNull();
    expect(unpriced.projected).not.toBeNull();
    expect(unpriced.reasons.join(" ")).toContain("the model llama3.1:8b has no price");
    const priced = estimateReextraction(
      input({
        pricing: { "llama3.1:8b": { input_per_mtok: 0.1, output_per_mtok: 0.2 } },
        sides: { ...input().sides, candidate: local },
      }),
    ).candidate;
    expect(priced.cost_usd!.live).toBeCloseTo(8 + 3, 9); // 80 M × 0.1 + 15 M × 0.2 per million
  });

  it("gives no live duration when every call was a cache hit, and warns when some were", () => {
    const cached = estimateReextraction(
      input({ sides: { ...input().sides, candidate: { ...input().sides.candidate, usage: usage(0, 2) } } }),
    ).candidate;
    expect(cached.measured!.latency_ms).toBeNull();
    expect(cached.duration).toEqual({
      live_ms: null,
      bound: null,
      bounds_ms: { latency: null, requests_per_minute: null, tokens_per_minute: null },
    });
    expect(cached.cost_usd!.live).toBeCloseTo(280, 9); // cached answers still carry their token counts
    expect(cached.reasons[0]).toContain("answered from the cache");
    const partly = estimateReextraction(
      input({ sides: { ...input().sides, candidate: { ...input().sides.candidate, usage: usage(1, 1) } } }),
    ).candidate;
    expect(partly.duration!.live_ms).toBe(7_500_000);
    expect(partly.reasons[0]).toContain("1 of 2 extract calls were answered from the cache");
  });

  it("gives no live duration when the extract calls went through a batch API: their latency is the batch's", () => {
    const batched = estimateReextraction(
      input({
        sides: {
          ...input().sides,
          candidate: { ...input().sides.candidate, usage: { ...usage(2, 0), batch_calls: 2 } },
        },
      }),
    ).candidate;
    expect(batched.measured!.latency_ms).toBeNull();
    expect(batched.duration!.live_ms).toBeNull();
    expect(batched.cost_usd!.live).toBeCloseTo(280, 9);
    expect(batched.reasons[0]).toContain("batch API");
  });

  it("prices the dry runs' prompt-cache reads and writes at the cache rates, and says the cost assumes as many cache hits", () => {
    const withCache = (
      run: DryRunResult,
      cache: { cache_read_tokens?: number; cache_write_tokens?: number },
    ): DryRunResult => ({ ...run, usage: { ...run.usage, ...cache } });
    // 4,000 tokens read from the cache and 1,000 written, over the same two runs: 2,000 and 500 per conversation.
    const runs = [
      withCache(RUNS[0]!, { cache_read_tokens: 3000, cache_write_tokens: 1000 }),
      withCache(RUNS[1]!, { cache_read_tokens: 1000 }),
      RUNS[2]!,
    ];
    expect(sampleDryRuns(runs)).toMatchObject({ inputTokens: 1600, cacheReadTokens: 4000, cacheWriteTokens: 1000 });
    const sides = { ...input().sides, candidate: { ...input().sides.candidate, sample: sampleDryRuns(runs) } };
    const { candidate } = estimateReextraction(
      input({ sides, rateLimits: { openai: { concurrency: 4, tokens_per_minute: 1_000_000 } } }),
    );
    expect(candidate.measured).toMatchObject({
      per_conversation: { input: 800, output: 150, cache_read: 2000, cache_write: 500 },
      per_turn: { input: 100, output: 18.75, cache_read: 250, cache_write: 62.5 },
    });
    expect(candidate.projected!.tokens).toEqual({
      input: 80_000_000,
      output: 15_000_000,
      cache_read: 200_000_000,
      cache_write: 50_000_000,
    });
    // gpt-4.1: 80 M × $2 + 15 M × $8 + 200 M read × $0.50 + 50 M written at the input price, $2 (OpenAI bills no cache write).
    expect(candidate.cost_usd!.live).toBeCloseTo(160 + 120 + 100 + 100, 9);
    expect(candidate.cost_usd!.batched).toBeCloseTo(240, 9);
    // Cached input counts against tokens per minute: 345 M tokens at 1 M a minute.
    expect(candidate.duration!.bounds_ms.tokens_per_minute).toBe(20_700_000);
    expect(candidate.reasons).toEqual([
      "61% of the measured input tokens were prompt-cache reads, priced at the cache-read rate: the cost assumes a re-extraction hits the cache as often as this run did",
    ]);
  });

  it("has nothing to measure when every dry run failed", () => {
    const side = estimateReextraction(
      input({
        sides: { ...input().sides, candidate: { ...input().sides.candidate, sample: sampleDryRuns([RUNS[2]!]) } },
      }),
    ).candidate;
    expect(side).toMatchObject({
      calls_models: true,
      measured: null,
      cost_usd: null,
      batch_window_hours: 24,
      reasons: ["no successful dry run to measure tokens and latency on"],
    });
  });
});

describe("reextractionFromRun", () => {
  it("samples each successful dry run of the log once: a failed unit redone by a resumed run counts by its success", () => {
    const start = makeRunStart({
      conversations: [
        { id: "c1", turns: 4 },
        { id: "c2", turns: 6 },
      ],
      bench: { store: { conversations: 10 } },
    });
    const ok = (id: string, turns: number, input: number) =>
      makeDryRun(id, [], { counts: { turns }, usage: { input_tokens: input, output_tokens: 10 }, latency_ms: 100 });
    const judged = (role: "baseline" | "candidate", id: string) => [
      coverageRecord(role, id, {}),
      usefulnessRecord(role, id, []),
    ];
    const run = makeRunData(start, [
      dryRunRecord("baseline", ok("c1", 4, 400)),
      ...judged("baseline", "c1"),
      dryRunRecord("candidate", ok("c1", 4, 800)),
      ...judged("candidate", "c1"),
      dryRunRecord("baseline", ok("c2", 6, 600)),
      ...judged("baseline", "c2"),
      dryRunRecord(
        "candidate",
        makeDryRun("c2", [], {
          counts: { turns: 6 },
          usage: { input_tokens: 50 },
          error: { kind: "provider_error", message: "x" },
        }),
      ),
      // The resumed run redoes the failed unit, and logs a finished one again: the latter is ignored.
      dryRunRecord("candidate", ok("c2", 6, 1200)),
      ...judged("candidate", "c2"),
      dryRunRecord("baseline", ok("c1", 4, 9999)),
    ]);
    expect(run.dryRunSamples).toEqual({
      baseline: {
        dryRuns: 2,
        turns: 10,
        inputTokens: 1000,
        outputTokens: 20,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        calls: 2,
        latencyMs: 200,
      },
      candidate: {
        dryRuns: 2,
        turns: 10,
        inputTokens: 2000,
        outputTokens: 20,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        calls: 2,
        latencyMs: 200,
      },
    });
    const estimate = reextractionFromRun(run)!;
    expect(estimate.store).toEqual({ unit: "conversations", size: 10 });
    expect(estimate.candidate.calls_models).toBe(false); // the fixture's configs are rules extractors
    expect(reextractionFromRun(makeRunData(makeRunStart({ conversations: [] }), []))).toBeNull();
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [12_400, "12.4 s"],
    [185_000, "3 min 05 s"],
    [3_599_600, "1 h 00 min"],
    [7_500_000, "2 h 05 min"],
    [86_400_000 * 3 + 3_600_000 * 4, "3 d 04 h"],
  ])("%d ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
