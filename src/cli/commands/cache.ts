import type { Command } from "commander";
import type { ResponseCache } from "../../providers/response-cache.js";
import { displayPath } from "../../text/display-path.js";
import type { CommandContext } from "./command.js";

/** `cache stats|clear`: the model answer cache. The cache module is loaded only by these commands. */
export function registerCache(program: Command, { io }: Pick<CommandContext, "io">): void {
  const cache = program.command("cache").description("inspect or empty the model answer cache");
  const cacheCommand = (
    name: string,
    description: string,
    act: (cache: ResponseCache, shown: string, options: { failed?: boolean }) => void,
  ) =>
    cache
      .command(name)
      .description(description)
      .option("--dir <dir>", "cache folder (default: the bench file's cache.dir, else .extractor-bench/cache)")
      .option("--bench <file>", "bench file whose cache.dir to use (default: extractor-bench.yaml when present)")
      .action(async (options: { dir?: string; bench?: string; failed?: boolean }) => {
        const [{ resolveCacheDir }, { ResponseCache }] = await Promise.all([
          import("../../run/plan.js"),
          import("../../providers/response-cache.js"),
        ]);
        const dir = resolveCacheDir(options);
        const store = new ResponseCache(dir);
        // What a killed run was writing never became an entry: removed, not counted.
        await store.removeLeftovers();
        act(store, displayPath(dir), options);
      });
  cacheCommand("stats", "count the cached model answers, by provider and model", (store, shown) => {
    const stats = store.stats();
    io.stdout(`${shown}: ${stats.entries} cached answers, ${(stats.bytes / 1024).toFixed(1)} KiB\n`);
    for (const [model, count] of Object.entries(stats.byModel).sort()) io.stdout(`  ${model}: ${count}\n`);
  });
  cacheCommand(
    "clear",
    "delete every cached model answer (or, with --failed, those holding a failed answer)",
    (store, shown, options) => {
      if (options.failed)
        io.stdout(
          `${shown}: removed ${store.clearFailed()} cached answers that failed (truncated, refused, empty or not JSON)\n`,
        );
      else io.stdout(`${shown}: removed ${store.clear()} cached answers\n`);
    },
  ).option(
    "--failed",
    "delete only answers that failed: cut off at max_tokens, refused, empty, or holding no JSON (written by versions that cached them)",
  );
}
