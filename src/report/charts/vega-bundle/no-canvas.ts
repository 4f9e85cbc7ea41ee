// Charts are rendered to SVG with the "none" renderer: vega never draws on a canvas here. This stands
// in for vega-canvas in the bundle, whose module body awaits an optional `canvas` package at load.
export const canvas = (): null => null;
export const domCanvas = (): null => null;
export const nodeCanvas = (): null => null;
export const image = (): null => null;
