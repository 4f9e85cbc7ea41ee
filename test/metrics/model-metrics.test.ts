import { describe, expect, it } from "vitest";
import {
  computeJudgeNoise,
  summarizeCost,
  summarizeModelUsage,
  summarizePairwise,
} from "../../src/metrics/model-metrics.js";
import { mergeUsage } from "../../src/metrics/merge-usage.js";
import { selectNoiseSample } from "../../src/metrics/noise-sample.js";
import { ModelUsageSchema, type ModelUsage } from "../../src/schema/model-usage.js";
import type { ModelUsageRecord, RunLogRecord } from "../../src/schema/run-log.js";
import { coverageRecord, junkRecord, makeRunData, makeRunStart, usefulnessRecord } from "./fixtures.js";

const start = makeRunStart({
  conversations: [
    { id: "c1", turns: 4 },
    { id: "c2", turns: 4 },
  ],
});
const repeat = (record: RunLogRecord): RunLogRecord => ({ ...record, repeat: 1 }) as RunLogRecord;

describe("computeJudgeNoise", () => {
  it("counts the verdicts that flipped when a unit was judged again; the repeats do not count as judgements", () => {
    const run = makeRunData(start, [
      usefulnessRecord("baseline", "c1", [true, true, false, true]),
      repeat(usefulnessRecord("baseline", "c1", [true, false, false, true])),
      coverageRecord("baseline", "c1", { g1: true, g2: false }),
      repeat(coverageRecord("baseline", "c1", { g1: true, g2: false })),
      usefulnessRecord("candidate", "c1", [true]),
      repeat(usefulnessRecord("candidate", "c1", [], "judge failed")),
    ]);
    expect(run.conversations).toEqual([]); // no dry run: the judgements feed no metric but the noise
    expect(computeJudgeNoise(run)).toMatchObject({
      units: 2,
      // 1 of 4 disagree: r = 0.25, so q = (1 − √0.5) / 2 ≈ 0.1464
      usefulness: { compared: 4, disagreements: 1, rate: 0.25, flip_rate: 0.1464 },
      // the cheap lexical match decided these coverage verdicts both times: they say nothing about the judge's noise
      coverage: { compared: 0, disagreements: 0, rate: null, flip_rate: null },
      junk: { compared: 0, disagreements: 0, rate: null, flip_rate: null },
    });
  });

  it("compares only the coverage verdicts a model gave, and the junk verdicts judged twice", () => {
    const llm = (record: RunLogRecord): RunLogRecord =>
      record.kind === "judgement" && record.task === "coverage"
        ? { ...record, items: record.items.map((v) => ({ ...v, method: "llm" as const })) }
        : record;
    // An LLM judge that repeats a share of its units: the fold keeps the verdicts its repeats are compared with.
    const llmStart = {
      ...makeRunStart({
        conversations: [{ id: "c1", turns: 4 }],
        bench: { judge: { provider: "openai", model: "judge-model", repeat_share: 0.5 } as never },
      }),
      judge: { id: "openai:judge-model", kind: "llm" as const, description: "test judge" },
    };
    const run = makeRunData(llmStart, [
      usefulnessRecord("baseline", "c1", [true]),
      repeat(usefulnessRecord("baseline", "c1", [true])),
      llm(coverageRecord("baseline", "c1", { g1: true, g2: false, g3: true })),
      repeat(llm(coverageRecord("baseline", "c1", { g1: true, g2: true, g3: true }))),
      junkRecord("baseline", "c1", [
        { index: 0, junk: false },
        { index: 1, junk: true, category: "chit_chat" },
      ]),
      repeat(
        junkRecord("baseline", "c1", [
          { index: 0, junk: true, category: "chit_chat" },
          { index: 1, junk: true, category: "chit_chat" },
        ]),
      ),
    ]);
    const noise = computeJudgeNoise(run)!;
    expect(noise.coverage).toMatchObject({ compared: 3, disagreements: 1 });
    expect(noise.junk).toMatchObject({ compared: 2, disagreements: 1, rate: 0.5, flip_rate: 0.5 });
    expect(noise.method).toContain("Rogan–Gladen");
  });

  it("is null when nothing was judged twice", () => {
    expect(computeJudgeNoise(makeRunData(start, [usefulnessRecord("baseline", "c1", [true])]))).toBeNull();
  });
});

describe("summarizePairwise", () => {
  it("counts winners, ties and judge errors, and the order-swap consistency", () => {
    const verdict = (winner: "baseline" | "candidate" | "tie", consistent: boolean) =>
      ({ winner, consistent, first: winner, second: consistent ? winner : "baseline", reason: "r" }) as const;
    const run = makeRunData(start, [
      { kind: "pairwise", conversation_id: "c1", judge: "j", verdict: verdict("candidate", true) },
      { kind: "pairwise", conversation_id: "c2", judge: "j", verdict: verdict("tie", false) },
      { kind: "pairwise", conversation_id: "c3", judge: "j", error: "no answer" },
    ]);
    expect(summarizePairwise(run)).toEqual({
      conversations: 2,
      candidate_better: 1,
      candidate_worse: 0,
      ties: 1,
      errors: 1,
      consistency_rate: 0.5,
    });
    expect(summarizePairwise(makeRunData(start, []))).toBeNull();
  });
});

describe("summarizeModelUsage", () => {
  // Parsed, so counts added to the schema later take their defaults.
  const account = (scope: ModelUsage["scope"], model: string, cost: number | null): ModelUsage =>
    ModelUsageSchema.parse({
      scope,
      provider: "openai",
      model,
      requests: 2,
      calls: 2,
      batch_calls: 0,
      cache_hits: 1,
      retries: 0,
      failures: 0,
      input_tokens: 10,
      output_tokens: 5,
      cost_usd: cost,
    });

  it("totals the priced spend and names the unpriced models", () => {
    const run = makeRunData(start, [
      {
        kind: "model_usage",
        accounts: [
          account("baseline", "llama3.1:8b", null),
          account("candidate", "gpt-4o", 0.25),
          account("judge", "gpt-4.1", 0.5),
        ],
        max_cost_usd: 5,
      },
    ]);
    expect(summarizeModelUsage(run)).toMatchObject({
      total_cost_usd: 0.75,
      unpriced_models: ["llama3.1:8b"],
      max_cost_usd: 5,
      cost: { total_usd: 0.75, complete: false, unpriced_models: ["llama3.1:8b"] },
    });
    expect(summarizeModelUsage(makeRunData(start, []))).toBeNull();
  });
});

describe("summarizeCost", () => {
  const account = (model: string, cost: number | null, calls = 2): ModelUsage =>
    ModelUsageSchema.parse({
      scope: "judge",
      provider: "openai",
      model,
      requests: calls,
      calls,
      batch_calls: 0,
      cache_hits: 1,
      retries: 0,
      failures: 0,
      input_tokens: 10,
      output_tokens: 5,
      cost_usd: cost,
    });

  it("is complete when every model that answered calls has a price", () => {
    expect(summarizeCost([account("gpt-4o", 0.25), account("gpt-4.1", 0.5)])).toEqual({
      total_usd: 0.75,
      complete: true,
      unpriced_models: [],
    });
    expect(summarizeCost([])).toEqual({ total_usd: 0, complete: true, unpriced_models: [] });
  });

  it("is incomplete and names each unpriced model once when one answered calls", () => {
    const cost = summarizeCost([
      account("local", null),
      account("gpt-4o", 0.25),
      { ...account("local", null), scope: "baseline" },
      account("other-local", null),
    ]);
    expect(cost).toEqual({ total_usd: 0.25, complete: false, unpriced_models: ["local", "other-local"] });
  });

  it("stays complete when an unpriced model answered nothing but cache hits: it spent nothing", () => {
    expect(summarizeCost([account("local", null, 0), account("gpt-4o", 0.25)])).toEqual({
      total_usd: 0.25,
      complete: true,
      unpriced_models: [],
    });
  });
});

describe("mergeUsage", () => {
  it("adds up the reasoning and prompt-cache tokens of a resumed run's two parts", () => {
    const part = (tokens: number, cost: number | null): ModelUsageRecord => ({
      kind: "model_usage",
      max_cost_usd: null,
      accounts: [
        ModelUsageSchema.parse({
          scope: "candidate",
          provider: "anthropic",
          model: "claude-haiku-4-5",
          requests: 1,
          calls: 1,
          batch_calls: 0,
          cache_hits: 0,
          retries: 0,
          failures: 0,
          input_tokens: tokens,
          output_tokens: tokens,
          reasoning_tokens: tokens,
          cache_read_tokens: tokens * 2,
          cache_write_tokens: tokens * 3,
          cost_usd: cost,
        }),
      ],
    });
    expect(mergeUsage(part(10, 0.5), part(100, 0.25)).accounts).toEqual([
      expect.objectContaining({
        calls: 2,
        input_tokens: 110,
        output_tokens: 110,
        reasoning_tokens: 110,
        cache_read_tokens: 220,
        cache_write_tokens: 330,
        cost_usd: 0.75,
      }),
    ]);
  });
});

describe("selectNoiseSample", () => {
  const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
  it("draws about the share of conversations with the seed, at least one", () => {
    // Each id is in when its seeded hash falls below the share: 3 of these 40 at 0.1 with seed 42.
    expect(selectNoiseSample(ids, 0.1, 42).size).toBe(3);
    expect([...selectNoiseSample(ids, 0.1, 42)]).toEqual([...selectNoiseSample(ids, 0.1, 42)]);
    expect([...selectNoiseSample(ids, 0.1, 7)]).not.toEqual([...selectNoiseSample(ids, 0.1, 42)]);
    expect(selectNoiseSample(ids.slice(0, 3), 0.1, 42).size).toBe(1);
    expect(selectNoiseSample(ids, 0, 42).size).toBe(0);
    expect(selectNoiseSample(ids, 1, 42).size).toBe(40);
    const many = Array.from({ length: 4000 }, (_, i) => `conversation-${i}`);
    expect(selectNoiseSample(many, 0.1, 42).size / many.length).toBeGreaterThan(0.085);
    expect(selectNoiseSample(many, 0.1, 42).size / many.length).toBeLessThan(0.115);
  });

  it("keeps each id's membership whatever else is in the list, in any order", () => {
    const whole = selectNoiseSample(ids, 0.3, 42);
    const part = ids.filter((_, i) => i % 3 === 0);
    const ofPart = selectNoiseSample([...part].reverse(), 0.3, 42);
    expect([...ofPart].sort()).toEqual(part.filter((id) => whole.has(id)).sort());
  });

  it("takes the lowest hash when none falls below the share, of the whole list or of any part of it", () => {
    const [only] = selectNoiseSample(ids, 1e-9, 42);
    expect(selectNoiseSample([...ids].reverse(), 1e-9, 42)).toEqual(new Set([only]));
    // A part holding the whole list's pick picks it too.
    const part = ids.filter((id, i) => id === only || i % 4 === 0);
    expect(selectNoiseSample(part, 1e-9, 42)).toEqual(new Set([only]));
  });
});
