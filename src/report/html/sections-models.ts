import type { ModelUsage } from "../../schema/model-usage.js";
import type { BenchReport, ModelUsageSummary } from "../../schema/report.js";
import { formatCount, formatRate, formatUsd } from "../../text/format-number.js";
import { correctedChangeText, judgeNoiseSentences } from "../render-models.js";
import {
  accountCost,
  batchNote,
  callCount,
  costIncomplete,
  costTotalText,
  EXTRA_TOKENS_NOTE,
  extraTokenColumns,
  INCOMPLETE_COST_HINT,
} from "../render-models.js";
import { html, type Html } from "./html.js";
import { section, table } from "./parts.js";
import { judgeCallsModel } from "../../judge/judge-table.js";

/** Whether the run has anything for the models section: model calls, judge-noise repeats or pairwise verdicts. */
export function hasModelSection(report: BenchReport): boolean {
  return (
    report.model_usage !== null ||
    report.judge_noise !== null ||
    report.pairwise !== null ||
    judgeCallsModel(report.judge.kind)
  );
}

/** Model calls, tokens and cost per scope; judge noise; the pairwise comparison. */
export function renderModels(report: BenchReport): Html {
  if (!hasModelSection(report)) return html``;
  const { model_usage: usage, pairwise } = report;
  const body = html`${judgeNoiseSentences(report).map((line) => html`<p>${line}</p>`)}
${
  (["precision", "recall", "junk"] as const).some((m) => report.metrics.delta[m].corrected)
    ? html`<ul>${(["precision", "recall", "junk"] as const).flatMap((m) => {
        const text = correctedChangeText(report, m);
        return text ? [html`<li>${m}: ${text}</li>`] : [];
      })}</ul>`
    : ""
}
${
  pairwise
    ? html`<p>Pairwise, each conversation judged in both orders (a disagreement is a tie): candidate better <strong>${pairwise.candidate_better}</strong>, worse <strong>${pairwise.candidate_worse}</strong>, tie <strong>${pairwise.ties}</strong> of ${pairwise.conversations}; order-swap consistency ${formatRate(pairwise.consistency_rate)}${pairwise.errors > 0 ? `; ${pairwise.errors} judge errors` : ""}.</p>`
    : ""
}
${usage ? renderUsage(usage) : ""}`;
  return section("models", "Models, cost and judge noise", body);
}

/** The usage table, with the cache and reasoning token columns that have any, and the run's total. */
function renderUsage(usage: ModelUsageSummary): Html {
  const extra = extraTokenColumns(usage.accounts);
  const incomplete = costIncomplete(usage);
  return html`${table<ModelUsage>(
    [
      { header: "scope", cell: (a) => a.scope },
      { header: "model", cell: (a) => `${a.provider} ${a.model}` },
      { header: "calls", cell: callCount, numeric: true },
      { header: "cache hits", cell: (a) => formatCount(a.cache_hits), numeric: true },
      { header: "retries", cell: (a) => formatCount(a.retries), numeric: true },
      { header: "failed", cell: (a) => formatCount(a.failures), numeric: true },
      { header: "input tokens", cell: (a) => formatCount(a.input_tokens), numeric: true },
      { header: "output tokens", cell: (a) => formatCount(a.output_tokens), numeric: true },
      ...extra.map((c) => ({ header: c.header, cell: (a: ModelUsage) => formatCount(a[c.field]), numeric: true })),
      { header: "cost", cell: accountCost, numeric: true },
    ],
    usage.accounts,
  )}
<p class="note">Total this run: ${incomplete ? html`<strong>${costTotalText(usage)}</strong>` : costTotalText(usage)}${usage.max_cost_usd === null ? "" : ` (limit ${formatUsd(usage.max_cost_usd)})`}. Cache hits cost nothing.${batchNote(usage.accounts)}${extra.length > 0 ? ` ${EXTRA_TOKENS_NOTE}` : ""}${incomplete ? ` ${INCOMPLETE_COST_HINT}` : ""}${usage.stopped ? ` Stopped early: ${usage.stopped}` : ""}</p>`;
}
