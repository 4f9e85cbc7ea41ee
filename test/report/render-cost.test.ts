import { beforeAll, describe, expect, it } from "vitest";
import { summarizeCost } from "../../src/metrics/model-metrics.js";
import { renderModels } from "../../src/report/html/sections-models.js";
import { renderHtml } from "../../src/report/html/render-html.js";
import { estimateNote, projectedTokens, tokensPerConversation } from "../../src/report/render-reextraction.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { costTotalText, modelMarkdownSections, modelSummaryLines } from "../../src/report/render-models.js";
import { renderSummary } from "../../src/report/render-summary.js";
import { ModelUsageSchema, type ModelUsage } from "../../src/schema/model-usage.js";
import {
  BenchReportSchema,
  type BenchReport,
  type ModelUsageSummary,
  type ReextractionSide,
} from "../../src/schema/report.js";
import { readReport, runDemo } from "./fixtures.js";
import { htmlTextContent } from "./html/text-content.js";

// Parsed, so counts the schema defaults (reasoning, cache, …) are zero unless given.
const account = (
  scope: ModelUsage["scope"],
  model: string,
  cost: number | null,
  tokens: Partial<ModelUsage> = {},
): ModelUsage =>
  ModelUsageSchema.parse({
    scope,
    provider: "openai",
    model,
    requests: 3,
    calls: 3,
    batch_calls: 0,
    cache_hits: 1,
    retries: 0,
    failures: 0,
    input_tokens: 1200,
    output_tokens: 300,
    cost_usd: cost,
    ...tokens,
  });

function usageOf(accounts: ModelUsage[]): ModelUsageSummary {
  const cost = summarizeCost(accounts);
  return {
    accounts,
    total_cost_usd: cost.total_usd,
    unpriced_models: accounts.filter((a) => a.cost_usd === null).map((a) => a.model),
    max_cost_usd: null,
    cost,
  };
}

const PRICED = [account("candidate", "gpt-4.1-mini", 0.0123), account("judge", "gpt-4.1", 0.5)];
const UNPRICED = [account("baseline", "my_local_model", null), ...PRICED];

describe("the cost total in every report", () => {
  let demo: BenchReport;
  beforeAll(async () => {
    demo = readReport(await runDemo());
  });
  const withUsage = (usage: ModelUsageSummary): BenchReport => ({ ...demo, model_usage: usage });

  it("reads as a bare figure only when every model that answered calls has a price", () => {
    expect(costTotalText(usageOf(PRICED))).toBe("$0.5123");
    expect(costTotalText(usageOf(UNPRICED))).toBe("$0.5123 (incomplete: no price for my_local_model)");
    // An unpriced model answered only from the cache spent nothing.
    expect(costTotalText(usageOf([{ ...UNPRICED[0]!, calls: 0, requests: 0 }, ...PRICED]))).toBe("$0.5123");
  });

  it("says incomplete in the terminal summary", () => {
    const total = (usage: ModelUsageSummary) =>
      modelSummaryLines(withUsage(usage)).find((l) => l.startsWith("  total "));
    expect(total(usageOf(PRICED))).toBe("  total $0.5123");
    expect(total(usageOf(UNPRICED))).toBe(
      "  total $0.5123 (incomplete: no price for my_local_model); set the missing prices under pricing",
    );
    expect(renderSummary(withUsage({ ...usageOf(UNPRICED), max_cost_usd: 5 }))).toContain(
      "  total $0.5123 (incomplete: no price for my_local_model) (limit $5.00); set the missing prices under pricing\n",
    );
  });

  it("says incomplete in report.md, the model names escaped", () => {
    const lines = modelMarkdownSections(withUsage(usageOf(UNPRICED))).flat();
    expect(lines).toContain(
      "Total: **$0.5123 (incomplete: no price for my\\_local\\_model)**. Cache hits cost nothing.",
    );
    expect(lines).toContain(
      "The total is a lower bound: set the missing prices under pricing in the bench file (0 for a local model).",
    );
    expect(renderMarkdown(withUsage(usageOf(UNPRICED)))).toContain("(incomplete: no price for my\\_local\\_model)");
    const complete = modelMarkdownSections(withUsage(usageOf(PRICED))).flat();
    expect(complete).toContain("Total: **$0.5123**. Cache hits cost nothing.");
    expect(complete.join("\n")).not.toContain("lower bound");
  });

  it("says incomplete in report.html", async () => {
    const text = htmlTextContent(renderModels(withUsage(usageOf(UNPRICED))).markup);
    expect(text).toContain(
      "Total this run: $0.5123 (incomplete: no price for my_local_model). Cache hits cost nothing. The total is a lower bound:",
    );
    expect(htmlTextContent(renderModels(withUsage(usageOf(PRICED))).markup)).toContain(
      "Total this run: $0.5123. Cache hits cost nothing.",
    );
    expect(htmlTextContent(await renderHtml(withUsage(usageOf(UNPRICED))))).toContain(
      "(incomplete: no price for my_local_model)",
    );
  });

  it("says incomplete in report.json, and a report.json written before `cost` still validates and renders as incomplete", () => {
    const written = BenchReportSchema.parse(JSON.parse(JSON.stringify(withUsage(usageOf(UNPRICED)))));
    expect(written.model_usage!.cost).toEqual({
      total_usd: 0.5123,
      complete: false,
      unpriced_models: ["my_local_model"],
    });
    const { cost: _cost, ...older } = usageOf(UNPRICED);
    // An older log's accounts lack the reasoning and cache counts too.
    const olderAccounts = older.accounts.map(
      ({ reasoning_tokens: _r, cache_read_tokens: _cr, cache_write_tokens: _cw, ...a }) => a,
    );
    const old = BenchReportSchema.parse(
      JSON.parse(JSON.stringify({ ...demo, model_usage: { ...older, accounts: olderAccounts } })),
    );
    expect(old.model_usage!.cost).toBeUndefined();
    expect(costTotalText(old.model_usage!)).toBe("$0.5123 (incomplete: no price for my_local_model)");
    expect(modelMarkdownSections(old).flat().join("\n")).not.toContain("cache read tokens");
  });

  it("shows reasoning and prompt-cache tokens in the models tables only when some account has any", () => {
    const plain = modelMarkdownSections(withUsage(usageOf(PRICED))).flat();
    expect(plain).toContain(
      "| scope | model | calls | cache hits | retries | failed | input tokens | output tokens | cost |",
    );
    const cached = usageOf([
      account("candidate", "claude-haiku-4-5", 0.01, { cache_read_tokens: 30_000, cache_write_tokens: 5000 }),
      account("judge", "gpt-5", 0.02, { reasoning_tokens: 2500 }),
    ]);
    const md = modelMarkdownSections(withUsage(cached)).flat();
    expect(md).toContain(
      "| scope | model | calls | cache hits | retries | failed | input tokens | output tokens | cache read tokens | cache write tokens | reasoning tokens | cost |",
    );
    expect(md).toContain(
      "| candidate | openai claude-haiku-4-5 | 3 | 1 | 0 | 0 | 1,200 | 300 | 30,000 | 5,000 | 0 | $0.0100 |",
    );
    expect(md).toContain("| judge | openai gpt-5 | 3 | 1 | 0 | 0 | 1,200 | 300 | 0 | 0 | 2,500 | $0.0200 |");
    expect(md).toContain(
      "Input tokens exclude prompt-cache reads and writes, which are billed at their own rates; output tokens include reasoning tokens.",
    );
    const onlyReasoning = modelMarkdownSections(
      withUsage(usageOf([account("judge", "gpt-5", 0.02, { reasoning_tokens: 2500 })])),
    ).flat();
    expect(onlyReasoning).toContain(
      "| scope | model | calls | cache hits | retries | failed | input tokens | output tokens | reasoning tokens | cost |",
    );

    const html = htmlTextContent(renderModels(withUsage(cached)).markup);
    expect(html).toContain(
      "scope | model | calls | cache hits | retries | failed | input tokens | output tokens | cache read tokens | cache write tokens | reasoning tokens | cost |",
    );
    expect(html).toContain(
      "candidate | openai claude-haiku-4-5 | 3 | 1 | 0 | 0 | 1,200 | 300 | 30,000 | 5,000 | 0 | $0.0100 |",
    );
    expect(htmlTextContent(renderModels(withUsage(usageOf(PRICED))).markup)).not.toContain("cache read tokens");

    const terminal = modelSummaryLines(withUsage(cached));
    expect(terminal).toContain(
      "  candidate openai claude-haiku-4-5: 3 calls, 1 cache hits, 0 retries, 0 failed; 1,200 in / 300 out tokens (30,000 cache read, 5,000 cache write), $0.0100",
    );
    expect(terminal).toContain(
      "  judge     openai gpt-5: 3 calls, 1 cache hits, 0 retries, 0 failed; 1,200 in / 300 out tokens (2,500 reasoning), $0.0200",
    );
  });
});

describe("the re-extraction estimate with prompt-cache tokens", () => {
  const side = (cache: { cache_read?: number; cache_write?: number }): ReextractionSide => ({
    name: "c",
    provider: "anthropic",
    model: "claude-haiku-4-5",
    calls_models: true,
    measured: {
      dry_runs: 2,
      turns: 16,
      per_conversation: { input: 800, output: 150, ...cache },
      per_turn: { input: 100, output: 18.75 },
      calls_per_conversation: 1,
      latency_ms: 300,
    },
    projected: {
      conversations: 10,
      turns: 80,
      tokens: { input: 8000, output: 1500, ...Object.fromEntries(Object.entries(cache).map(([k, v]) => [k, v * 10])) },
    },
    cost_usd: { live: 1, batched: 0.5 },
    duration: null,
    batch_window_hours: 24,
    reasons: [],
  });

  it("counts cached input in the input columns and says so under the table", () => {
    const cached = side({ cache_read: 2000, cache_write: 500 });
    expect(tokensPerConversation(cached)).toBe("3,300 / 150");
    expect(projectedTokens(cached)).toBe("33,000 / 1,500");
    expect(tokensPerConversation(side({}))).toBe("800 / 150");
    const estimate = (candidate: ReextractionSide) => ({
      store: { unit: "conversations" as const, size: 10 },
      concurrency: 4,
      baseline: side({}),
      candidate,
    });
    expect(estimateNote(estimate(cached))).toContain(
      "Input tokens include prompt-cache reads and writes, priced at the cache rates.",
    );
    expect(estimateNote(estimate(side({})))).not.toContain("prompt-cache");
  });
});
