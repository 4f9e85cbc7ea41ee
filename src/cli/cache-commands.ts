import type { Command } from "commander";
import type { ResponseCache } from "../providers/response-cache.js";
import { displayPath } from "../text/display-path.js";
import type { CliIo } from "./main.js";

/** `cache stats|clear`: the model answer cache. The cache module is loaded only by these commands. */
export function registerCacheCommands(program: Command, io: Pick<CliIo, "stdout">): void {
  const cache = program.command("cache").description("inspect or empty the model answer cache");
  const cacheCommand = (name: string, description: string, act: (cache: ResponseCache, shown: string) => void) =>
    cache
      .command(name)
      .description(description)
      .option("--dir <dir>", "cache folder (default: the bench file's cache.dir, else .extractor-bench/cache)")
      .option("--bench <file>", "bench file whose cache.dir to use (default: extractor-bench.yaml when present)")
      .action(async (options: { dir?: string; bench?: string }) => {
        const [{ resolveCacheDir }, { ResponseCache }] = await Promise.all([import("../run/plan.js"), import("../providers/response-cache.js")]);
        const dir = resolveCacheDir(options);
        act(new ResponseCache(dir), displayPath(dir));
      });
  cacheCommand("stats", "count the cached model answers, by provider and model", (store, shown) => {
    const stats = store.stats();
    io.stdout(`${shown}: ${stats.entries} cached answers, ${(stats.bytes / 1024).toFixed(1)} KiB\n`);
    for (const [model, count] of Object.entries(stats.byModel).sort()) io.stdout(`  ${model}: ${count}\n`);
  });
  cacheCommand("clear", "delete every cached model answer", (store, shown) => {
    io.stdout(`${shown}: removed ${store.clear()} cached answers\n`);
  });
}
