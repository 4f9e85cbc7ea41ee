// Bundles the command line into dist/cli/bin.js (replacing the file tsc wrote): a few files to load
// instead of a few hundred modules (vega alone is several hundred), so the command starts fast. Code
// loaded on demand (commands, renderers) stays in chunks loaded on demand; the model SDKs and the
// browser driver stay external, loaded from node_modules only by the runs that call them.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { build } from "esbuild";

const REPO = new URL("..", import.meta.url).pathname;

/**
 * zod's namespace of locales (z.locales: every language's error messages, about 250 KB of the zod
 * chunk that each run compiles) stands empty: nothing reads it, and English, which zod registers
 * by itself, is the only language the bench prints.
 */
const withoutZodLocales = {
  name: "without-zod-locales",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "without-zod-locales" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "without-zod-locales" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

// Chunk names carry content hashes: clear the previous build's.
rmSync(new URL("../dist/cli/chunks", import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: REPO,
  // run-worker: the thread `run` works in, so the main thread is free to answer Ctrl-C at once.
  entryPoints: { bin: "src/cli/bin.ts", "run-worker": "src/cli/run-worker.ts" },
  outdir: "dist/cli",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "bundle",
  // vega and vega-lite are loaded from dist/vega (see below); the import of them that
  // src/report/charts/vega-libs.ts keeps for runs from the sources resolves to node_modules.
  external: ["@anthropic-ai/sdk", "openai", "playwright-core", "vega", "vega-lite"],
  legalComments: "none",
  // Less to parse at every start; identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies bundled into ESM call require() for Node's built-in modules.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
  plugins: [withoutZodLocales],
});

// vega and vega-lite as one CommonJS file, which src/report/charts/vega-libs.ts compiles with V8's
// code cache (ES modules cannot take one on Node 20). vega-canvas is left out: charts render to SVG.
rmSync(new URL("../dist/vega", import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: REPO,
  entryPoints: ["src/report/charts/vega-bundle/entry.ts"],
  outfile: "dist/vega/vega-libs.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  alias: { "vega-canvas": "./src/report/charts/vega-bundle/no-canvas.ts" },
  legalComments: "none",
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
// The cache is written by a process that loaded the bundle and rendered charts; without it (a failure
// here, another Node version later) vega still loads, compiled as usual.
const cache = spawnSync(process.execPath, [new URL("./vega-code-cache.mjs", import.meta.url).pathname], {
  stdio: "inherit",
});
if (cache.status !== 0) console.warn("warning: the vega code cache was not written; HTML reports render without it");
