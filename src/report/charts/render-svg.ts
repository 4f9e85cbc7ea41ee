import type { VegaLiteSpec } from "./theme.js";

/**
 * Compile vega-lite specs and render them to SVG strings with vega's own renderer, headless. vega is
 * imported here, on first use, so commands that render no HTML never load it.
 */
export async function renderSvgCharts(specs: VegaLiteSpec[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  return Promise.all(
    specs.map(async (spec) => {
      const compiled = vegaLite.compile(spec).spec;
      const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
      try {
        return await view.toSVG();
      } finally {
        view.finalize();
      }
    }),
  );
}
