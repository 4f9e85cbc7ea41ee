import { allInputTokens } from "../metrics/reextraction-cost.js";
import type { DurationBound, Reextraction, ReextractionSide } from "../schema/report.js";
import { CONFIG_ROLES } from "../schema/constants.js";
import { formatCount, formatNumber, formatUsd } from "../text/format-number.js";
import { formatDuration } from "./format.js";
import { md } from "./markdown.js";
import { terminal as t } from "./terminal.js";

/** The re-extraction estimate as cells and sentences, shared by report.md, report.html and the terminal summary. */

const BOUND_LABEL: Record<DurationBound, string> = {
  latency: "latency-bound",
  requests_per_minute: "requests/min-bound",
  tokens_per_minute: "tokens/min-bound",
};

const NOT_MEASURABLE = "not measurable";

/** "openai gpt-4.1", or just "rules" for an extractor with no model name of its own. */
export function extractorLabel(side: ReextractionSide): string {
  return side.model === side.provider ? side.provider : `${side.provider} ${side.model}`;
}

/** "100,000 conversations" or "1,200,000 turns". */
export function storeText(estimate: Reextraction): string {
  return `${formatCount(estimate.store.size)} ${estimate.store.unit}`;
}

export function tokensPerConversation(side: ReextractionSide): string {
  const m = side.measured;
  return m
    ? `${formatCount(Math.round(allInputTokens(m.per_conversation)))} / ${formatCount(Math.round(m.per_conversation.output))}`
    : NOT_MEASURABLE;
}

export function tokensPerTurn(side: ReextractionSide): string {
  const m = side.measured;
  return m ? `${formatNumber(allInputTokens(m.per_turn), 1)} / ${formatNumber(m.per_turn.output, 1)}` : NOT_MEASURABLE;
}

export function projectedTokens(side: ReextractionSide): string {
  const p = side.projected;
  return p
    ? `${formatCount(Math.round(allInputTokens(p.tokens)))} / ${formatCount(Math.round(p.tokens.output))}`
    : NOT_MEASURABLE;
}

export function costCell(side: ReextractionSide, mode: "live" | "batched"): string {
  return side.cost_usd ? formatUsd(side.cost_usd[mode]) : NOT_MEASURABLE;
}

export function liveDuration(side: ReextractionSide): string {
  const d = side.duration;
  if (!d || d.live_ms === null || d.bound === null) return NOT_MEASURABLE;
  return `${formatDuration(d.live_ms)} (${BOUND_LABEL[d.bound]})`;
}

export function batchedDuration(side: ReextractionSide): string {
  return side.batch_window_hours === null ? NOT_MEASURABLE : `within ${side.batch_window_hours} h`;
}

/** Whether a side's measured input includes prompt-cache reads or writes. */
function usedPromptCache(side: ReextractionSide): boolean {
  return side.measured?.per_conversation.cache_read !== undefined;
}

/** The explanation printed under the table. */
export function estimateNote(estimate: Reextraction): string {
  const cached = CONFIG_ROLES.some((role) => usedPromptCache(estimate[role]))
    ? " Input tokens include prompt-cache reads and writes, priced at the cache rates."
    : "";
  return (
    `Means over each config's successful dry runs of this run, projected onto the store (${storeText(estimate)}). ` +
    `Cost at list price; batched through the providers' batch APIs at half price.${cached} Live duration: the slowest of conversations × mean latency / ` +
    `concurrency ${estimate.concurrency} and the configured requests and tokens per minute. Batched: the providers' batch completion window, not a measurement.`
  );
}

/** Reasons per config, prefixed with its role. */
export function estimateReasons(estimate: Reextraction): { role: string; reason: string }[] {
  return CONFIG_ROLES.flatMap((role) => estimate[role].reasons.map((reason) => ({ role, reason })));
}

/** The report.md section. */
export function reextractionMarkdown(estimate: Reextraction): string[] {
  const rows = CONFIG_ROLES.map((role) => {
    const side = estimate[role];
    return `| ${role === "baseline" ? "baseline (reference)" : "**candidate**"} | ${md`${extractorLabel(side)}`} | ${tokensPerConversation(side)} | ${tokensPerTurn(side)} | ${projectedTokens(side)} | ${costCell(side, "live")} | ${costCell(side, "batched")} | ${liveDuration(side)} | ${batchedDuration(side)} |`;
  });
  return [
    `### Full re-extraction estimate (${storeText(estimate)})`,
    "",
    "| config | model | tokens / conversation (in / out) | tokens / turn (in / out) | projected tokens (in / out) | cost live | cost batched | duration live | duration batched |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    estimateNote(estimate),
    ...estimateReasons(estimate).map(({ role, reason }) => md`- ${role}: ${reason}`),
  ];
}

/** One terminal line for the candidate. */
export function reextractionSummaryLine(estimate: Reextraction): string {
  const side = estimate.candidate;
  const head = t`Re-extraction of ${storeText(estimate)} with the candidate (${extractorLabel(side)}): `;
  if (!side.calls_models) return `${head}cost not measurable (the extractor calls no model)`;
  if (!side.measured) return `${head}not measurable (no successful dry run)`;
  const cost = side.cost_usd
    ? `${formatUsd(side.cost_usd.live)} live, ${formatUsd(side.cost_usd.batched)} batched`
    : "cost not measurable (unpriced model)";
  return `${head}${cost}; ${liveDuration(side)} live, ${batchedDuration(side)} batched`;
}
