import type { BenchReport } from "../../schema/report.js";
import { chartBase, sideScale, type VegaLiteSpec } from "./theme.js";

/**
 * Reliability of each config's confidence against judge usefulness: the monotone (PAV) fit as a
 * line, the equal-mass bins as points sized by their candidates, and the diagonal of perfect
 * calibration. Null when neither side has judged candidates.
 */
export function calibrationSpec(report: BenchReport): VegaLiteSpec | null {
  const sides = ["baseline", "candidate"] as const;
  const curve = sides.flatMap((side) =>
    report.calibration[side].curve.map((p) => ({ side, confidence: p.confidence, useful_rate: p.useful_rate })),
  );
  const bins = sides.flatMap((side) =>
    report.calibration[side].bins.map((b) => ({
      side,
      confidence: b.mean_confidence,
      useful_rate: b.useful_rate,
      count: b.count,
    })),
  );
  if (curve.length === 0 && bins.length === 0) return null;
  const x = { field: "confidence", type: "quantitative" as const, title: "confidence", scale: { domain: [0, 1] } };
  const y = {
    field: "useful_rate",
    type: "quantitative" as const,
    title: "judged useful",
    axis: { format: ".0%" },
    scale: { domain: [0, 1] },
  };
  const color = { field: "side", type: "nominal" as const, scale: sideScale, title: null };
  return {
    ...chartBase(
      "Calibration: confidence against judged usefulness",
      "Reliability curve (pool-adjacent-violators fit) and equal-mass bins per config",
    ),
    width: 300,
    height: 220,
    layer: [
      {
        data: {
          values: [
            { confidence: 0, useful_rate: 0 },
            { confidence: 1, useful_rate: 1 },
          ],
        },
        mark: { type: "line", strokeDash: [4, 4], color: "#cbd5e1" },
        encoding: { x, y },
      },
      {
        data: { values: curve },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: { x, y, color },
      },
      {
        data: { values: bins },
        mark: { type: "circle", opacity: 0.8 },
        encoding: { x, y, color, size: { field: "count", type: "quantitative", title: "candidates", legend: null } },
      },
    ],
  };
}
