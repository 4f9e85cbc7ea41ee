/**
 * vega and vega-lite, behind one module imported on demand: only the commands that render HTML load
 * them (in the bundled command, this module's chunk is the only one that holds them).
 */
export * as vega from "vega";
export * as vegaLite from "vega-lite";
