import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { packageRoot } from "../../package-root.js";

/**
 * vega and vega-lite, behind one module imported on demand: only the commands that render HTML load
 * them. Built, they are one CommonJS file compiled with V8's code cache, written when the package is
 * built: compiling a megabyte of JavaScript, then the functions a first render needs, costs about
 * 60 ms each run, and a cache that fits brings it to about 20. The cache starts with the SHA-256 of
 * the bundle it was made from and is used only with that bundle; V8 refuses one written by another
 * Node version, and the bundle is then compiled as usual. Run from the sources, they are imported.
 */
export interface VegaLibs {
  vega: typeof import("vega");
  vegaLite: typeof import("vega-lite");
}

/** The CommonJS bundle and its code cache, under the package's dist/. */
export function vegaBundlePaths(): { bundle: string; cache: string } {
  const bundle = join(packageRoot(), "dist", "vega", "vega-libs.cjs");
  return { bundle, cache: `${bundle}.cache` };
}

/** What became of the code cache: given to V8 and taken, refused by V8, or not given (none, or made for another bundle). */
export type CodeCacheOutcome = "used" | "rejected" | "absent";

interface LoadedBundle {
  libs: VegaLibs;
  cache: CodeCacheOutcome;
  script: Script;
  digest: Buffer;
}

let loaded: { libs: VegaLibs; bundle?: LoadedBundle } | undefined;

const DIGEST_BYTES = 32;

/** Compile and run the CommonJS bundle at `bundle`, with the code cache at `cache` when it was made from it. */
export function loadVegaBundle(bundle: string, cache: string): LoadedBundle {
  const code = readFileSync(bundle);
  const digest = createHash("sha256").update(code).digest();
  const stored = existsSync(cache) ? readFileSync(cache) : undefined;
  const cachedData =
    stored && stored.length > DIGEST_BYTES && stored.subarray(0, DIGEST_BYTES).equals(digest)
      ? stored.subarray(DIGEST_BYTES)
      : undefined;
  const source = `(function (exports, require, module, __filename, __dirname) {${code.toString("utf8")}\n})`;
  const script = new Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as VegaLibs };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(bundle),
    module,
    bundle,
    dirname(bundle),
  );
  return {
    libs: module.exports,
    cache: !cachedData ? "absent" : script.cachedDataRejected ? "rejected" : "used",
    script,
    digest,
  };
}

export async function loadVega(): Promise<VegaLibs> {
  if (loaded) return loaded.libs;
  const { bundle, cache } = vegaBundlePaths();
  if (existsSync(bundle)) {
    const fromBundle = loadVegaBundle(bundle, cache);
    loaded = { libs: fromBundle.libs, bundle: fromBundle };
  } else {
    loaded = { libs: { vega: await import("vega"), vegaLite: await import("vega-lite") } };
  }
  return loaded.libs;
}

/**
 * Write the code cache of the bundle as loaded in this process: call after rendering charts, so the
 * functions a render compiles are in it too. Returns the cache's size in bytes.
 */
export function writeVegaCodeCache(): number {
  if (!loaded?.bundle) throw new Error("the vega bundle was not loaded from dist/vega");
  const data = Buffer.concat([loaded.bundle.digest, loaded.bundle.script.createCachedData()]);
  writeFileSync(vegaBundlePaths().cache, data);
  return data.length;
}
