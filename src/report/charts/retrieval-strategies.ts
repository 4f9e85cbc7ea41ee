import type { BenchReport } from "../../schema/report.js";
import { STRATEGY_NAME } from "../render-retrieval.js";
import { chartBase, SIDE_COLOURS, type VegaLiteSpec } from "./theme.js";

/** Pure stores in the baseline's and the candidate's colours, mixed stores between them. */
const COLOUR: Record<string, string> = {
  baseline: SIDE_COLOURS.baseline,
  reextract: SIDE_COLOURS.candidate,
  coexist: "#f59e0b",
  coexist_normalized: "#0ea5e9",
  progressive: "#a855f7",
};

/** Answerable share per strategy's store, with its 95% interval over scopes. */
export function retrievalStrategiesSpec(report: BenchReport): VegaLiteSpec | null {
  const r = report.retrieval;
  const measured = r?.strategies.filter((s) => s.answerable.value !== null) ?? [];
  if (!r || measured.length === 0) return null;
  const values = measured.map((s) => ({
    strategy: STRATEGY_NAME[s.strategy],
    key: s.strategy,
    share: s.answerable.value,
    low: s.answerable.ci?.[0] ?? s.answerable.value,
    high: s.answerable.ci?.[1] ?? s.answerable.value,
  }));
  const order = values.map((v) => v.strategy);
  const y = { field: "strategy", type: "nominal" as const, sort: order, title: null };
  return {
    ...chartBase(
      `Answerable share per strategy (top ${r.k})`,
      "Share of queries with a relevant memory in the top k, per strategy's store; whiskers are 95% bootstrap intervals over scopes",
    ),
    data: { values },
    width: 420,
    height: { step: 26 },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 2, height: 16 },
        encoding: {
          y,
          x: {
            field: "share",
            type: "quantitative",
            title: "answerable share",
            scale: { domain: [0, 1] },
            axis: { format: ".0%" },
          },
          color: {
            field: "key",
            type: "nominal",
            scale: { domain: Object.keys(COLOUR), range: Object.values(COLOUR) },
            legend: null,
          },
        },
      },
      {
        mark: { type: "rule", color: "#0f172a", strokeWidth: 1.5 },
        encoding: { y, x: { field: "low", type: "quantitative" }, x2: { field: "high" } },
      },
    ],
  } as VegaLiteSpec;
}
