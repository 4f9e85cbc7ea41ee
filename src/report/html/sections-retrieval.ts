import type { BenchReport } from "../../schema/report.js";
import type { BrokenQuery } from "../../schema/retrieval-record.js";
import type { StrategyRetrieval } from "../../schema/retrieval-report.js";
import { formatCount, formatNumber, formatRate } from "../../text/format-number.js";
import { truncate } from "../format.js";
import {
  lostText,
  measuredPoints,
  measuredRate,
  querySourceText,
  skewText,
  STRATEGY_NAME,
} from "../render-retrieval.js";
import { html, type Html } from "./html.js";
import { chart, section, table } from "./parts.js";

function returned(texts: readonly string[]): Html {
  return texts.length === 0
    ? html`<em>nothing</em>`
    : html`<ol>${texts.map((t) => html`<li>${truncate(t, 120)}</li>`)}</ol>`;
}

function filtersText(e: BrokenQuery): string {
  return e.filters
    ? Object.entries(e.filters)
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join(", ")
    : "none";
}

/** "What each strategy does to retrieval": the chart, the strategies side by side, filter losses, skew, broken queries and the decision. */
export function renderRetrieval(report: BenchReport, svg: Html | undefined): Html {
  const r = report.retrieval;
  if (!r) return html``;
  const verdict = report.recommendation.retrieval;
  const strategies = table<StrategyRetrieval>(
    [
      { header: "strategy", cell: (s) => STRATEGY_NAME[s.strategy] },
      { header: "conversations from candidate", cell: (s) => formatCount(s.from_candidate), numeric: true },
      { header: "answerable", cell: (s) => measuredRate(s.answerable), numeric: true },
      {
        header: "vs baseline",
        cell: (s) => measuredPoints(s.vs_baseline.answerable, s.strategy === "baseline"),
        numeric: true,
      },
      {
        header: "vs re-extraction",
        cell: (s) => measuredPoints(s.vs_reextract.answerable, s.strategy === "reextract"),
        numeric: true,
      },
      { header: `recall@${r.k}`, cell: (s) => measuredRate(s.recall), numeric: true },
      { header: `precision@${r.k}`, cell: (s) => measuredRate(s.precision), numeric: true },
      { header: "MRR", cell: (s) => formatNumber(s.mrr.value), numeric: true },
      { header: "failed searches", cell: (s) => formatCount(s.failed), numeric: true },
    ],
    r.strategies,
  );
  const lossRows = r.strategies.filter((s) => s.lost.memories > 0);
  const losses =
    lossRows.length === 0
      ? html`<p class="note">No relevant memory was excluded by a filter in any store.</p>`
      : table<StrategyRetrieval>(
          [
            { header: "strategy", cell: (s) => STRATEGY_NAME[s.strategy] },
            { header: "lost to filters", cell: (s) => lostText(s) },
            {
              header: "by filter",
              cell: (s) => s.lost.by_filter.map((f) => `${f.filter} ${formatCount(f.memories)}`).join(", "),
            },
            {
              header: "by predicate (top 10)",
              cell: (s) => s.lost.by_predicate.map((p) => `${p.predicate} ${formatCount(p.memories)}`).join(", "),
            },
          ],
          lossRows,
        );
  const skews = r.strategies.filter((s) => s.skew);
  const examples =
    r.examples.length === 0
      ? html`<p class="note">No query answered by the baseline's store went unanswered in another store.</p>`
      : table<BrokenQuery>(
          [
            { header: "strategy", cell: (e) => STRATEGY_NAME[e.strategy] },
            {
              header: "query",
              cell: (e) => html`${truncate(e.text, 160)}<br><span class="note">filters: ${filtersText(e)}</span>`,
            },
            { header: "baseline store returned", cell: (e) => returned(e.baseline) },
            {
              header: "this store returned",
              cell: (e) =>
                html`${returned(e.returned)}${e.excluded_by ? html`<span class="note">relevant memories excluded by ${e.excluded_by.join(", ")}</span>` : ""}`,
            },
          ],
          r.examples,
        );
  const normalization =
    r.normalization.mappings.length === 0 && r.normalization.factor === null
      ? "nothing to apply"
      : `${formatCount(r.normalization.mappings.length)} predicate mappings (also backfilled onto the old memories)${r.normalization.factor === null ? "" : `, confidence factor ${formatNumber(r.normalization.factor, 2)} on the candidate's memories`}`;
  const body = html`<p>The store each migration strategy would leave, built per scope from this run's dry runs (no extra extraction) and searched with the same queries: ${querySourceText(r)}, over ${formatCount(r.scopes)} scopes, ${r.retriever} retriever, top ${r.k}. Coexist takes the newest ${formatRate(r.coexist_share, 0)} of each scope's conversations (in time order) from the candidate; progressive rollout a seeded ${r.rollout_percent}%; coexist + normalization applies ${normalization}. A memory is relevant when the judge found it covers one of the query's golden memories, or it cites one of the query's turns. Intervals are 95% paired bootstrap intervals over scopes.</p>
${chart(svg, "Answerable share per strategy")}
${strategies}
${verdict ? html`<p><strong>Decision:</strong> ${verdict.summary}.</p><p class="note">Rule: ${verdict.rule}.</p>` : ""}
<h3>Lost to filters</h3>
<p class="note">Relevant memories in the store that the query's filters (type, predicate, subject, confidence) excluded: the memory is there, it never surfaces.</p>
${losses}
<h3>Version skew in mixed stores</h3>
${skews.length === 0 ? html`<p class="note">No mixed store was measured.</p>` : html`<ul>${skews.map((s) => html`<li>${STRATEGY_NAME[s.strategy]}: ${skewText(s) ?? ""}</li>`)}</ul>`}
${r.sweep.length > 1 ? html`<p class="note">Coexist at other candidate shares, answerable: ${r.sweep.map((w) => `${formatRate(w.share, 0)} → ${formatRate(w.answerable)}`).join(" · ")}</p>` : ""}
<h3>Queries a strategy breaks</h3>
${examples}`;
  return section("retrieval", "What each strategy does to retrieval", body);
}
