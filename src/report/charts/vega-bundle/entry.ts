// What the CommonJS bundle of vega (dist/vega/vega-libs.cjs) exports: built by scripts/bundle-cli.mjs,
// loaded by ../vega-libs.ts with V8's code cache.
export * as vega from "vega";
export * as vegaLite from "vega-lite";
