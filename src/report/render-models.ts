import { summarizeCost } from "../metrics/model-metrics.js";
import type { ModelUsage } from "../schema/model-usage.js";
import type { BenchReport, CostTotal, JudgeNoise, ModelUsageSummary } from "../schema/report.js";
import { formatCount, formatEstimate, formatPoints, formatRate, formatUsd } from "../text/format-number.js";
import { markdownTable, md } from "./markdown.js";
import { terminal as t } from "./terminal.js";
import { judgeCallsModel } from "../judge/judge-table.js";

/** Renderers of the model sections (usage and cost, judge noise, pairwise); pure, shared by the summary, report.md and report.html. */

/** An account's cost cell: its USD, or "unpriced". */
export function accountCost(account: ModelUsage): string {
  return account.cost_usd === null ? "unpriced" : formatUsd(account.cost_usd);
}

/** The run's total as report.json gives it, or, in a report written before `cost` existed, from its accounts. */
function runCost(usage: ModelUsageSummary): CostTotal {
  return usage.cost ?? summarizeCost(usage.accounts);
}

/**
 * The run's total as plain text, for each medium to escape: "$0.0123", or, when a model with no
 * price answered calls, "$0.0123 (incomplete: no price for my-local-model)": a bare figure would
 * pass a lower bound off as the spend.
 */
export function costTotalText(usage: ModelUsageSummary): string {
  const cost = runCost(usage);
  return cost.complete
    ? formatUsd(cost.total_usd)
    : `${formatUsd(cost.total_usd)} (incomplete: no price for ${cost.unpriced_models.join(", ")})`;
}

/** Whether the total lacks the spend of an unpriced model. */
export function costIncomplete(usage: ModelUsageSummary): boolean {
  return !runCost(usage).complete;
}

/** What to do about an incomplete total, said the same way in every report. */
export const INCOMPLETE_COST_HINT =
  "The total is a lower bound: set the missing prices under pricing in the bench file (0 for a local model).";

/** " (limit $5.00)" when a cost limit was set. */
function limitText(usage: ModelUsageSummary): string {
  return usage.max_cost_usd === null ? "" : ` (limit ${formatUsd(usage.max_cost_usd)})`;
}

/** The token counts beyond input and output; a report shows each only when some account has any. */
export const EXTRA_TOKEN_COLUMNS = [
  { field: "cache_read_tokens", header: "cache read tokens", short: "cache read" },
  { field: "cache_write_tokens", header: "cache write tokens", short: "cache write" },
  { field: "reasoning_tokens", header: "reasoning tokens", short: "reasoning" },
] as const;

export type ExtraTokenColumn = (typeof EXTRA_TOKEN_COLUMNS)[number];

/** The extra token columns with a non-zero count in any account (absent counts, from older logs, are zero). */
export function extraTokenColumns(accounts: readonly ModelUsage[]): ExtraTokenColumn[] {
  return EXTRA_TOKEN_COLUMNS.filter((c) => accounts.some((a) => (a[c.field] ?? 0) > 0));
}

/** Under a table with extra token columns: what the counts include, so the columns are not added twice. */
export const EXTRA_TOKENS_NOTE =
  "Input tokens exclude prompt-cache reads and writes, which are billed at their own rates; output tokens include reasoning tokens.";

/** "12" or "12 (10 batched)": calls answered, and how many of them through a provider batch API. */
export function callCount(account: ModelUsage): string {
  return account.batch_calls > 0
    ? `${formatCount(account.calls)} (${formatCount(account.batch_calls)} batched)`
    : formatCount(account.calls);
}

/** The batch pricing note, when any call was batched. */
export function batchNote(accounts: ModelUsage[]): string {
  return accounts.some((a) => a.batch_calls > 0) ? " Batched calls are billed at half the live price." : "";
}

type JudgedMetric = "precision" | "recall" | "junk";
const TASK_OF: Record<JudgedMetric, "usefulness" | "coverage" | "junk"> = {
  precision: "usefulness",
  recall: "coverage",
  junk: "junk",
};
const VERDICTS_OF: Record<JudgedMetric, string> = {
  precision: "usefulness verdicts",
  recall: "coverage verdicts a model gave",
  junk: "junk verdicts",
};

/** One kind of verdict's repeat agreement as words: "flip rate 12.1% per verdict (repeats disagreed on 32 of 150, 21.3%)". */
function agreementText(part: NonNullable<JudgeNoise["junk"]> | undefined, metric: JudgedMetric): string {
  if (!part) return `${VERDICTS_OF[metric]}: not repeated (an older report)`;
  if (part.rate === null) {
    return metric === "recall"
      ? `${VERDICTS_OF[metric]}: not measured (none of the repeated units' coverage verdicts came from the model: the cheap match settled them)`
      : `${VERDICTS_OF[metric]}: not measured (the repeated units gave none)`;
  }
  const flip = part.flip_rate ?? null;
  return `${VERDICTS_OF[metric]}: ${flip === null ? "" : `flip rate ${formatRate(flip)} per verdict, `}the two judgements disagreed on ${part.disagreements} of ${part.compared} (${formatRate(part.rate)})`;
}

/**
 * What the judge's noise is and what was done with it, as plain sentences for each medium to escape:
 * the flip rate per kind of verdict, and that levels and intervals are corrected for it. Empty for a
 * deterministic (heuristic) judge.
 */
export function judgeNoiseSentences(report: BenchReport): string[] {
  if (!judgeCallsModel(report.judge.kind)) return [];
  const noise = report.judge_noise;
  if (!noise)
    return [
      "Judge noise not measured: nothing was judged twice (the judge's repeat_share is 0, or no repeated unit finished). The intervals then carry no judge noise beyond what the conversations show.",
    ];
  const parts = (["precision", "recall", "junk"] as const).map((metric) =>
    agreementText(noise[TASK_OF[metric]], metric),
  );
  return [
    `Judge noise: ${noise.units} units judged a second time, the cache bypassed. ${parts.join("; ")}.`,
    "Two judgements of one item disagree at about twice the judge's flip rate (r = 2q(1 − q)). Where a rate was measured, the levels are shown corrected for it beside the observed ones " +
      `(${noise.method ?? "symmetric-flip correction"}), and the intervals of the corrected values resample the repeated verdicts that measure the flip rate as well as the conversations, so the gate's interval rule accounts for the noise.`,
  ];
}

/** "corrected for judge noise: −8.3 pp [−13.0, −3.6] pp, its flips alone ±2.1 pp": what the corrected interval says; empty without a correction. */
export function correctedChangeText(report: BenchReport, metric: JudgedMetric): string {
  const corrected = report.metrics.delta[metric].corrected;
  if (!corrected) return "";
  if (corrected.value === null) return "not corrected: the judge's verdicts flip too often to correct for them";
  const spread =
    corrected.noise_spread === null
      ? ""
      : `, the judge's flips alone ±${formatPoints(corrected.noise_spread).replace(/^\+/, "")}`;
  return `corrected for judge noise ${formatEstimate(corrected.value, corrected.ci, "pp")}${spread}`;
}

/** A level with its correction: "83.0% (corrected 97.1%)". */
export function levelText(level: {
  value?: number | null;
  rate?: number | null;
  corrected?: { value: number | null } | undefined;
}): string {
  const value = level.value !== undefined ? level.value : (level.rate ?? null);
  return level.corrected ? `${formatRate(value)} (corrected ${formatRate(level.corrected.value)})` : formatRate(value);
}

/** Lines for the terminal summary; names from configs go through the terminal escaper. */
export function modelSummaryLines(report: BenchReport): string[] {
  const lines: string[] = [];
  const usage = report.model_usage;
  if (usage) {
    lines.push("", "Model calls (this run):");
    for (const a of usage.accounts) {
      const extra = extraTokenColumns([a]).map((c) => `${formatCount(a[c.field])} ${c.short}`);
      lines.push(
        t`  ${a.scope.padEnd(9)} ${a.provider} ${a.model}: ` +
          `${a.calls} calls${a.batch_calls > 0 ? ` (${a.batch_calls} batched)` : ""}, ${a.cache_hits} cache hits, ${a.retries} retries, ${a.failures} failed; ` +
          `${formatCount(a.input_tokens)} in / ${formatCount(a.output_tokens)} out tokens${extra.length > 0 ? ` (${extra.join(", ")})` : ""}, ${accountCost(a)}`,
      );
    }
    const hint = costIncomplete(usage) ? "; set the missing prices under pricing" : "";
    lines.push(`${t`  total ${costTotalText(usage)}`}${limitText(usage)}${hint}`);
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
  const noise = judgeNoiseSentences(report);
  if (noise.length > 0)
    sections.push([
      "### Judge noise",
      "",
      ...noise
        .map((line) => md`${line}`)
        .flatMap((line) => [line, ""])
        .slice(0, -1),
    ]);
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
    const extra = extraTokenColumns(usage.accounts);
    const lines = [
      "### Model usage and cost (this run)",
      "",
      ...markdownTable(
        [
          "scope",
          "model",
          "calls",
          "cache hits",
          "retries",
          "failed",
          "input tokens",
          "output tokens",
          ...extra.map((c) => c.header),
          "cost",
        ],
        usage.accounts.map((a) => [
          a.scope,
          md`${a.provider} ${a.model}`,
          callCount(a),
          formatCount(a.cache_hits),
          formatCount(a.retries),
          formatCount(a.failures),
          formatCount(a.input_tokens),
          formatCount(a.output_tokens),
          ...extra.map((c) => formatCount(a[c.field])),
          accountCost(a),
        ]),
      ),
      "",
      md`Total: **${costTotalText(usage)}**` +
        `${limitText(usage)}. Cache hits cost nothing.${batchNote(usage.accounts)}`,
    ];
    if (extra.length > 0) lines.push("", EXTRA_TOKENS_NOTE);
    if (costIncomplete(usage)) lines.push("", INCOMPLETE_COST_HINT);
    if (usage.stopped) lines.push("", md`> ⚠️ Stopped early: ${usage.stopped}`);
    sections.push(lines);
  }
  return sections;
}
