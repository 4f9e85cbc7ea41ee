import type { BenchReport } from "../schema/report.js";
import type { BrokenQuery } from "../schema/retrieval-record.js";
import type { RetrievalReport, StrategyRetrieval } from "../schema/retrieval-report.js";
import { formatCount, formatEstimate, formatNumber, formatRate } from "../text/format-number.js";
import { truncate } from "./format.js";
import { markdownCode, markdownTable, md } from "./markdown.js";

/** How the reports name each strategy's store. */
export const STRATEGY_NAME: Record<StrategyRetrieval["strategy"], string> = {
  baseline: "baseline (no change)",
  reextract: "full re-extraction",
  coexist: "coexist",
  coexist_normalized: "coexist + normalization",
  progressive: "progressive rollout",
};

/** A rate with its interval: "37.4% [30.0%, 47.7%]". */
export function measuredRate(m: { value: number | null; ci: [number, number] | null }): string {
  return formatEstimate(m.value, m.ci, "rate");
}

/** A difference of rates with its interval: "−4.5 pp [−6.9, −1.8] pp"; the reference itself prints as "—". */
export function measuredPoints(m: { value: number | null; ci: [number, number] | null }, self: boolean): string {
  return self ? "—" : formatEstimate(m.value, m.ci, "pp");
}

export function querySourceText(r: RetrievalReport): string {
  return r.query_source === "file"
    ? `${formatCount(r.queries)} queries from the queries file`
    : `${formatCount(r.queries)} queries derived from golden memories (a proxy: a filtered lookup in the baseline's vocabulary and a text query per memory)`;
}

/** What a strategy's store lost to filters, in words. */
export function lostText(s: StrategyRetrieval): string {
  if (s.lost.memories === 0) return "none";
  const filters = s.lost.by_filter.map((f) => `${f.filter} ${formatCount(f.memories)}`).join(", ");
  return `${formatCount(s.lost.memories)} relevant memories (${formatRate(s.lost.share)} of those in the store; ${filters}), ${formatCount(s.lost.queries)} queries unanswered`;
}

/** Version skew of a mixed store in words: how often relevant old and new memories surface, and their mean rank. */
export function skewText(s: StrategyRetrieval): string | undefined {
  if (!s.skew) return undefined;
  const side = (name: string, v: NonNullable<StrategyRetrieval["skew"]>["old"]) =>
    v.relevant === 0
      ? `${name}: none in the store`
      : `${name} ${formatRate(v.surfaced)} surface (mean rank ${formatNumber(v.mean_rank, 2)}, of ${formatCount(v.relevant)})`;
  return `${side("old (baseline) memories", s.skew.old)}; ${side("new (candidate) memories", s.skew.new)}`;
}

/** The terminal's line: answerable share per strategy with its difference from the baseline's store. */
export function retrievalSummaryLines(report: BenchReport): string[] {
  const r = report.retrieval;
  if (!r) return [];
  const parts = r.strategies.map(
    (s) =>
      `${s.strategy} ${measuredRate(s.answerable)}${s.strategy === "baseline" ? "" : ` (${measuredPoints(s.vs_baseline.answerable, false)})`}`,
  );
  const failed = r.strategies.reduce((sum, s) => sum + s.failed, 0);
  const lines = [
    `Retrieval simulation (${r.retriever}, k ${r.k}, ${formatCount(r.queries)} ${r.query_source} queries over ${formatCount(r.scopes)} scopes), answerable share: ${parts.join(" · ")}`,
  ];
  if (failed > 0) lines.push(`  ${formatCount(failed)} searches failed (left out of the rates; see report.html)`);
  const verdict = report.recommendation.retrieval;
  if (verdict) lines.push(`  ${verdict.summary}`);
  return lines;
}

function exampleFilters(e: BrokenQuery): string {
  return e.filters
    ? Object.entries(e.filters)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(", ")
    : "none";
}

function returnedText(texts: readonly string[]): string {
  return texts.length === 0 ? "(nothing)" : texts.map((t) => truncate(t, 60)).join(" / ");
}

/** The report.md section "What each strategy does to retrieval". */
export function retrievalMarkdown(report: BenchReport): string[] {
  const r = report.retrieval;
  if (!r) return [];
  const out: string[] = ["### What each strategy does to retrieval", ""];
  out.push(
    md`${r.retriever} retriever, top ${r.k}, ${querySourceText(r)}, over ${r.scopes} scopes; 95% paired bootstrap intervals over scopes. coexist takes the newest ${formatRate(r.coexist_share, 0)} of each scope's conversations from the candidate; progressive rollout ${r.rollout_percent}%.`,
    "",
  );
  out.push(
    ...markdownTable(
      [
        "strategy",
        "answerable",
        "vs baseline",
        "vs re-extraction",
        `recall@${r.k}`,
        `precision@${r.k}`,
        "MRR",
        "lost to filters",
      ],
      r.strategies.map((s) => [
        md`${STRATEGY_NAME[s.strategy]}`,
        md`${measuredRate(s.answerable)}`,
        md`${measuredPoints(s.vs_baseline.answerable, s.strategy === "baseline")}`,
        md`${measuredPoints(s.vs_reextract.answerable, s.strategy === "reextract")}`,
        md`${formatRate(s.recall.value)}`,
        md`${formatRate(s.precision.value)}`,
        md`${formatNumber(s.mrr.value)}`,
        md`${lostText(s)}`,
      ]),
    ),
  );
  const skews = r.strategies.flatMap((s) => (skewText(s) ? [md`- ${STRATEGY_NAME[s.strategy]}: ${skewText(s)!}`] : []));
  if (skews.length > 0) out.push("", "Version skew in mixed stores:", ...skews);
  const verdict = report.recommendation.retrieval;
  if (verdict) out.push("", md`**Decision:** ${verdict.summary}.`, "", md`Rule: ${verdict.rule}.`);
  if (r.examples.length > 0) {
    out.push("", "Queries a strategy breaks:", "");
    out.push(
      ...markdownTable(
        ["strategy", "query", "filters", "baseline store returned", "this store returned"],
        r.examples.map((e) => [
          md`${STRATEGY_NAME[e.strategy]}`,
          md`${truncate(e.text, 80)}`,
          markdownCode(exampleFilters(e)).text,
          md`${returnedText(e.baseline)}`,
          md`${returnedText(e.returned)}${e.excluded_by ? ` (relevant memories excluded by ${e.excluded_by.join(", ")})` : ""}`,
        ]),
      ),
    );
  }
  return out;
}
