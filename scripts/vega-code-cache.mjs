// Writes V8's code cache for dist/vega/vega-libs.cjs: loads the bundle, renders charts shaped like the
// report's (a faceted bar chart, layered lines and points, horizontal bars) so the functions a render
// compiles are in the cache too, then saves it. Run by the build, in a process of its own, with
// the heap flag the command sets (V8 refuses a code cache written under other flags).
import { limitHeapGrowth } from "../dist/cli/heap-flag.js";
import { renderSvgCharts } from "../dist/report/charts/render-svg.js";
import { chartBase, sideScale } from "../dist/report/charts/theme.js";
import { writeVegaCodeCache } from "../dist/report/charts/vega-libs.js";

limitHeapGrowth();

const sides = ["baseline", "candidate"];
const color = { field: "side", type: "nominal", scale: sideScale, title: null };
const specs = [
  {
    ...chartBase("Faceted bars", "warm-up"),
    data: {
      values: sides.flatMap((side) =>
        [0, 1, 2, 3].map((order) => ({ side, bucket: `b${order}`, order, share: (order + 1) / 10 })),
      ),
    },
    facet: { column: { field: "side", type: "nominal", sort: sides, title: null } },
    spec: {
      width: 200,
      height: 120,
      mark: { type: "bar", cornerRadiusEnd: 2 },
      encoding: {
        x: { field: "bucket", type: "ordinal", sort: { field: "order" }, axis: { labelAngle: 0 } },
        y: { field: "share", type: "quantitative", axis: { format: ".0%" }, scale: { domain: [0, 1] } },
        color: { ...color, legend: null },
      },
    },
  },
  {
    ...chartBase("Layers", "warm-up"),
    width: 300,
    height: 200,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: "line", strokeDash: [4, 4] },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values: sides.flatMap((side) => [0.2, 0.5, 0.9].map((x) => ({ side, x, y: x / 2 }))) },
        mark: { type: "line", interpolate: "step-after" },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative", axis: { format: ".0%" } },
          color,
        },
      },
      {
        data: { values: sides.flatMap((side) => [0.3, 0.7].map((x) => ({ side, x, y: x, n: 5 }))) },
        mark: { type: "circle" },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          color,
          size: { field: "n", type: "quantitative", legend: null },
        },
      },
    ],
  },
  {
    ...chartBase("Horizontal bars", "warm-up"),
    width: 300,
    data: {
      values: sides.flatMap((side) =>
        ["fact", "preference", "event"].map((type, i) => ({ side, type, count: i + 2, delta: i - 1 })),
      ),
    },
    mark: { type: "bar" },
    encoding: {
      y: { field: "type", type: "nominal", sort: "-x" },
      x: { field: "count", type: "quantitative" },
      yOffset: { field: "side", type: "nominal" },
      color,
      tooltip: [{ field: "delta", type: "quantitative", format: "+d" }],
    },
  },
];
const rendered = await renderSvgCharts(specs);
const failed = rendered.filter((chart) => "error" in chart);
if (failed.length > 0) throw new Error(`warm-up charts failed: ${failed.map((chart) => chart.error).join("; ")}`);
console.log(`vega code cache: ${Math.round(writeVegaCodeCache() / 1024)} KiB`);
