import type { BenchReport } from "../../schema/report.js";
import { chartBase, sideScale, type VegaLiteSpec } from "./theme.js";

/** Junk found in each config's sample, by category. Null when neither sample held any junk. */
export function junkCategoriesSpec(report: BenchReport): VegaLiteSpec | null {
  const categories = [
    ...new Set([
      ...Object.keys(report.metrics.baseline.junk.by_category),
      ...Object.keys(report.metrics.candidate.junk.by_category),
    ]),
  ].sort();
  if (categories.length === 0) return null;
  const values = categories.flatMap((category) =>
    (["baseline", "candidate"] as const).map((side) => ({
      category: category.replace(/_/g, " "),
      side,
      count: report.metrics[side].junk.by_category[category] ?? 0,
    })),
  );
  return {
    ...chartBase("Junk by category", "Junk candidates per category in each config's judged sample"),
    data: { values },
    width: 460,
    height: { step: 12 },
    mark: { type: "bar", cornerRadiusEnd: 2 },
    encoding: {
      y: { field: "category", type: "nominal", title: null },
      yOffset: { field: "side", sort: ["baseline", "candidate"] },
      x: { field: "count", type: "quantitative", title: "junk candidates in the sample", axis: { tickMinStep: 1 } },
      color: { field: "side", type: "nominal", scale: sideScale, title: null },
    },
  };
}
