import type { BenchReport } from "../../schema/report.js";
import { chartBase, sideScale, type VegaLiteSpec } from "./theme.js";

/** Confidence histograms of the two configs side by side, as shares of each config's candidates. */
export function confidenceHistogramSpec(report: BenchReport): VegaLiteSpec {
  const values = (["baseline", "candidate"] as const).flatMap((side) =>
    report.metrics[side].confidence.histogram.map((bucket, order) => ({
      side,
      bucket: `${bucket.from}–${bucket.to}`,
      order,
      share: bucket.share ?? 0,
      count: bucket.count,
    })),
  );
  return {
    ...chartBase("Confidence distribution", "Share of each config's candidates per confidence bucket"),
    data: { values },
    facet: { column: { field: "side", type: "nominal", sort: ["baseline", "candidate"], title: null } },
    spec: {
      width: 230,
      height: 150,
      mark: { type: "bar", cornerRadiusEnd: 2 },
      encoding: {
        x: { field: "bucket", type: "ordinal", sort: { field: "order" }, title: "confidence", axis: { labelAngle: 0 } },
        y: {
          field: "share",
          type: "quantitative",
          title: "share of candidates",
          axis: { format: ".0%" },
          scale: { domain: [0, 1] },
        },
        color: { field: "side", type: "nominal", scale: sideScale, legend: null },
      },
    },
  };
}
