// Bundles the command line into dist/cli/bin.js (replacing the file tsc wrote): a few files to load
// instead of a few hundred modules (vega alone is several hundred), so the command starts fast. Code
// loaded on demand (commands, renderers) stays in chunks loaded on demand; the model SDKs and the
// browser driver stay external, loaded from node_modules only by the runs that call them.
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
  external: ["@anthropic-ai/sdk", "openai", "playwright-core"],
  legalComments: "none",
  // Less to parse at every start; identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies bundled into ESM call require() for Node's built-in modules.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
});
