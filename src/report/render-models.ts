import type { ModelUsage } from "../schema/model-usage.js";
import type { BenchReport, JudgeNoise } from "../schema/report.js";
import { formatCount, formatRate, formatUsd } from "../text/format-number.js";
import { md } from "./markdown.js";
import { terminal as t } from "./terminal.js";

/** Renderers of the model sections (usage and cost, judge noise, pairwise); pure, shared by the summary and report.md. */

function cost(account: ModelUsage): string {
  return account.cost_usd === null ? "unpriced" : formatUsd(account.cost_usd);
}

/** "12" or "12 (10 batched)": calls answered, and how many of them through a provider batch API. */
export function callCount(account: ModelUsage): string {
  return account.batch_calls > 0 ? `${formatCount(account.calls)} (${formatCount(account.batch_calls)} batched)` : formatCount(account.calls);
}

/** The batch pricing note, when any call was batched. */
export function batchNote(accounts: ModelUsage[]): string {
  return accounts.some((a) => a.batch_calls > 0) ? " Batched calls are billed at half the live price." : "";
}

/** "judge noise 3.1% (2/64 usefulness verdicts flipped …)": the noise that could explain a precision (or recall) delta. */
export function noiseNote(noise: JudgeNoise | null, metric: "precision" | "recall"): string {
  if (!noise) return "";
  const part = metric === "precision" ? noise.usefulness : noise.coverage;
  if (part.rate === null) return "";
  return `judge noise ${formatRate(part.rate)} (${part.disagreements}/${part.compared} ${metric === "precision" ? "usefulness" : "coverage"} verdicts flipped when judged again)`;
}

/** Lines for the terminal summary; names from configs go through the terminal escaper. */
export function modelSummaryLines(report: BenchReport): string[] {
  const lines: string[] = [];
  const usage = report.model_usage;
  if (usage) {
    lines.push("", "Model calls (this run):");
    for (const a of usage.accounts) {
      lines.push(
        t`  ${a.scope.padEnd(9)} ${a.provider} ${a.model}: ` +
          `${a.calls} calls${a.batch_calls > 0 ? ` (${a.batch_calls} batched)` : ""}, ${a.cache_hits} cache hits, ${a.retries} retries, ${a.failures} failed; ` +
          `${formatCount(a.input_tokens)} in / ${formatCount(a.output_tokens)} out tokens, ${cost(a)}`,
      );
    }
    const limit = usage.max_cost_usd === null ? "" : ` (limit ${formatUsd(usage.max_cost_usd)})`;
    const unpriced = usage.unpriced_models.length > 0 ? t`; unpriced: ${usage.unpriced_models.join(", ")} (add them under pricing)` : "";
    lines.push(`  total ${formatUsd(usage.total_cost_usd)}${limit}${unpriced}`);
    if (usage.stopped) lines.push(t`  stopped early: ${usage.stopped}`);
  }
  const pairwise = report.pairwise;
  if (pairwise) {
    lines.push(
      "",
      `Pairwise (both orders, ${pairwise.conversations} conversations): candidate better ${pairwise.candidate_better}, worse ${pairwise.candidate_worse}, ` +
        `tie ${pairwise.ties}; order-swap consistency ${formatRate(pairwise.consistency_rate)}${pairwise.errors > 0 ? `; ${pairwise.errors} judge errors` : ""}`,
    );
  }
  return lines;
}

/** Sections for report.md, each a block of lines under its heading. */
export function modelMarkdownSections(report: BenchReport): string[][] {
  const sections: string[][] = [];
  const noise = report.judge_noise;
  if (noise) {
    sections.push([
      "### Judge noise",
      "",
      `${noise.units} units judged a second time, the cache bypassed. Usefulness verdicts flipped: **${formatRate(noise.usefulness.rate)}** ` +
        `(${noise.usefulness.disagreements}/${noise.usefulness.compared}); coverage verdicts flipped: **${formatRate(noise.coverage.rate)}** ` +
        `(${noise.coverage.disagreements}/${noise.coverage.compared}). A precision or recall delta of that size can be judge noise alone.`,
    ]);
  }
  const pairwise = report.pairwise;
  if (pairwise) {
    sections.push([
      "### Pairwise comparison",
      "",
      `Each conversation judged in both orders; a disagreement between the orders counts as a tie. Candidate better: **${pairwise.candidate_better}**, ` +
        `worse: **${pairwise.candidate_worse}**, tie: **${pairwise.ties}** of ${pairwise.conversations}; order-swap consistency ${formatRate(pairwise.consistency_rate)}` +
        `${pairwise.errors > 0 ? `; ${pairwise.errors} judge errors` : ""}.`,
    ]);
  }
  const usage = report.model_usage;
  if (usage) {
    const lines = [
      "### Model usage and cost (this run)",
      "",
      "| scope | model | calls | cache hits | retries | failed | input tokens | output tokens | cost |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...usage.accounts.map(
        (a) =>
          `| ${a.scope} | ${md`${a.provider} ${a.model}`} | ${callCount(a)} | ${a.cache_hits} | ${a.retries} | ${a.failures} | ${formatCount(a.input_tokens)} | ${formatCount(a.output_tokens)} | ${cost(a)} |`,
      ),
      "",
      `Total: **${formatUsd(usage.total_cost_usd)}**${usage.max_cost_usd === null ? "" : ` (limit ${formatUsd(usage.max_cost_usd)})`}. Cache hits cost nothing.${batchNote(usage.accounts)}`,
    ];
    if (usage.unpriced_models.length > 0) lines.push("", md`Unpriced models (not in the total; set their price under pricing): ${usage.unpriced_models.join(", ")}.`);
    if (usage.stopped) lines.push("", md`> ⚠️ Stopped early: ${usage.stopped}`);
    sections.push(lines);
  }
  return sections;
}
