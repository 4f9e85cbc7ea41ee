import type { BenchReport } from "../../schema/report.js";
import { chartBase, sideScale, type VegaLiteSpec } from "./theme.js";

/** Candidates per memory type, the two configs as paired bars. */
export function typeDistributionSpec(report: BenchReport): VegaLiteSpec {
  const types = [...new Set([...Object.keys(report.types.baseline), ...Object.keys(report.types.candidate)])].sort();
  const values = types.flatMap((type) =>
    (["baseline", "candidate"] as const).map((side) => ({ type, side, count: report.types[side][type] ?? 0 })),
  );
  return {
    ...chartBase("Memory types", "Candidates per memory type for each config"),
    data: { values },
    width: 460,
    height: { step: 12 },
    mark: { type: "bar", cornerRadiusEnd: 2 },
    encoding: {
      y: { field: "type", type: "nominal", title: null, sort: types },
      yOffset: { field: "side", sort: ["baseline", "candidate"] },
      x: { field: "count", type: "quantitative", title: "candidates" },
      color: { field: "side", type: "nominal", scale: sideScale, title: null },
    },
  };
}
