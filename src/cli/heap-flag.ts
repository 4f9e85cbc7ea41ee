import { setFlagsFromString } from "node:v8";

/**
 * V8 flags the command sets unless node was given them (on its command line or in NODE_OPTIONS). They
 * are read when a heap is made, so they hold for the run's worker thread, where the run's memory is.
 * - The heap may grow 30% over what was live after each full collection, no more: by default V8 lets
 *   a fast-allocating process grow it up to four times that before it collects again, and 100,000
 *   conversations peaked at 500 MiB (120 MiB live). The collections this adds cost about 1% of a large run.
 * - The young generation's semi-spaces stay at 8 MiB (V8's default lets them grow to 16 MiB on a
 *   64-bit machine): the retrieval simulation makes and drops a store's memories as objects, and with
 *   the larger young generation 100,000 conversations peaked at 432-437 MiB, against 354 MiB with it,
 *   for the same CPU time.
 */
const FLAGS: Array<[RegExp, string]> = [
  [/--heap[-_]growing[-_]percent/, "--heap-growing-percent=30"],
  [/--max[-_]semi[-_]space[-_]size/, "--max-semi-space-size=8"],
];

/**
 * Set the command's heap flags (see FLAGS). V8 takes a code cache only from a process whose flags were
 * the same: the build sets them too before it writes the vega code cache (scripts/vega-code-cache.mjs),
 * or every run would refuse it.
 */
export function limitHeapGrowth(): void {
  for (const [given, flag] of FLAGS) {
    if (!process.execArgv.some((arg) => given.test(arg)) && !given.test(process.env.NODE_OPTIONS ?? ""))
      setFlagsFromString(flag);
  }
}
