import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { limitHeapGrowth } from "../../src/cli/heap-flag.js";
import { loadVegaBundle, vegaBundlePaths, type VegaLibs } from "../../src/report/charts/vega-libs.js";
import { tempDir } from "../cli/helpers.js";

/** The vega bundle and code cache that `npm run build` writes under dist/vega. */
const built = vegaBundlePaths();

async function barChartSvg({ vega, vegaLite }: VegaLibs): Promise<string> {
  const spec = vegaLite.compile({
    data: {
      values: [
        { side: "baseline", n: 3 },
        { side: "candidate", n: 5 },
      ],
    },
    mark: "bar",
    encoding: { x: { field: "side", type: "nominal" }, y: { field: "n", type: "quantitative" } },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

describe("the vega bundle and its code cache", () => {
  it("loads with the cache the build wrote, which V8 takes under the command's heap flag, and draws charts", async () => {
    // V8 takes a code cache only under the flags it was written with: the command's, as bin.ts sets them.
    limitHeapGrowth();
    const loaded = loadVegaBundle(built.bundle, built.cache);
    expect(loaded.cache).toBe("used");
    expect(await barChartSvg(loaded.libs)).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });

  it("gives V8 no cache made from another bundle, and still draws", async () => {
    const dir = tempDir("eb-vega-");
    const bundle = join(dir, "vega-libs.cjs");
    writeFileSync(bundle, `${readFileSync(built.bundle, "utf8")}\n// another build\n`);
    copyFileSync(built.cache, `${bundle}.cache`);
    const loaded = loadVegaBundle(bundle, `${bundle}.cache`);
    expect(loaded.cache).toBe("absent");
    expect(await barChartSvg(loaded.libs)).toContain("<svg");
  });

  it("falls back to compiling when V8 refuses a damaged cache, and still draws", async () => {
    const dir = tempDir("eb-vega-");
    const bundle = join(dir, "vega-libs.cjs");
    copyFileSync(built.bundle, bundle);
    const cache = readFileSync(built.cache);
    // The digest still names this bundle; what follows it is no V8 code cache.
    writeFileSync(`${bundle}.cache`, Buffer.concat([cache.subarray(0, 32), Buffer.alloc(4096, 7)]));
    const loaded = loadVegaBundle(bundle, `${bundle}.cache`);
    expect(loaded.cache).toBe("rejected");
    expect(await barChartSvg(loaded.libs)).toContain("<svg");
  });
});
