// Bundles the command line into dist/cli/bin.js (replacing the file tsc wrote): one file to load
// instead of a few hundred modules, so the command starts fast. Code loaded on demand (commands,
// renderers, model clients) stays in chunks loaded on demand; the heaviest dependencies stay external.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const REPO = new URL("..", import.meta.url).pathname;

// Chunk names carry content hashes: clear the previous build's.
rmSync(new URL("../dist/cli/chunks", import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: REPO,
  entryPoints: { bin: "src/cli/bin.ts" },
  outdir: "dist/cli",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "bundle",
  external: ["@anthropic-ai/sdk", "openai", "vega", "vega-lite", "playwright-core"],
  legalComments: "none",
  // Less to parse at every start; identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies bundled into ESM call require() for Node's built-in modules.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
});
