/** Shared look of the report's charts: the same two colours for baseline and candidate everywhere. */
export const SIDE_COLOURS = { baseline: "#94a3b8", candidate: "#4f46e5" } as const;
export const GAIN = "#059669";
export const LOSS = "#dc2626";

import type { TopLevelSpec } from "vega-lite";

export type VegaLiteSpec = TopLevelSpec;

export const sideScale = {
  domain: ["baseline", "candidate"],
  range: [SIDE_COLOURS.baseline, SIDE_COLOURS.candidate],
};

/** Fields every spec carries: schema, font, no chart background (the page's card shows through). */
export function chartBase(title: string, description: string) {
  return {
    // `as const` keeps literal types (anchor: "start") that vega-lite's spec type asks for.
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description,
    title: { text: title, anchor: "start", fontSize: 13, fontWeight: 600, color: "#0f172a", offset: 8 },
    background: "transparent",
    config: {
      font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
      view: { stroke: null },
      axis: {
        labelColor: "#475569",
        titleColor: "#475569",
        gridColor: "#e2e8f0",
        domainColor: "#cbd5e1",
        tickColor: "#cbd5e1",
        labelFontSize: 11,
        titleFontSize: 11,
        titleFontWeight: 500,
      },
      legend: { labelColor: "#475569", titleColor: "#475569", labelFontSize: 11, titleFontSize: 11, orient: "top" },
      header: { labelColor: "#334155", labelFontSize: 12, titleFontSize: 0 },
    },
  } as const;
}
