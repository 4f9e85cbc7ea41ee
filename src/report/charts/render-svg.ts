import type { VegaLiteSpec } from "./theme.js";

/** One chart: its SVG, or why it could not be drawn (the report is still written, without it). */
export type RenderedChart = { svg: string } | { error: string };

/**
 * Compile vega-lite specs and render them to SVG strings with vega's own renderer, headless. vega is
 * imported here, on first use, so commands that render no HTML never load it.
 */
export async function renderSvgCharts(specs: VegaLiteSpec[]): Promise<RenderedChart[]> {
  if (specs.length === 0) return [];
  const { vega, vegaLite } = await (await import("./vega-libs.js")).loadVega();
  return Promise.all(
    specs.map(async (spec, index): Promise<RenderedChart> => {
      try {
        const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none", logLevel: vega.Error });
        try {
          return { svg: scopeIds(await view.toSVG(), `chart${index + 1}-`) };
        } finally {
          view.finalize();
        }
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/**
 * vega numbers its clip paths and gradients from 1 in every SVG; inlined side by side in one page,
 * those ids would collide and one chart would clip another's marks. Prefix them per chart.
 */
export function scopeIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, lead: string, id: string) =>
    ids.has(id) ? `${lead}${prefix}${id}` : whole,
  );
}
