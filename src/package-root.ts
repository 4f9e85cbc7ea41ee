import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * The package's own folder (where its package.json, assets and configs are): found by walking up from
 * this module, so it holds whether the code runs from src/, from dist/ or from the bundled command.
 */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "extractor-bench"
    )
      return (root = dir);
    if (dirname(dir) === dir) throw new Error("cannot find the extractor-bench package folder");
  }
}
