import { setFlagsFromString } from "node:v8";

const HEAP_GROWTH_FLAG = /--heap[-_]growing[-_]percent/;

/**
 * The heap may grow 30% over what was live after each full collection, no more: by default V8 lets a
 * fast-allocating process grow it up to four times that before it collects again, and 100,000
 * conversations peaked at 500 MiB (120 MiB live) where they now stay under 400 without a heap flag.
 * The collections this adds cost about 1% of a large run. A flag given to node still wins.
 *
 * V8 takes a code cache only from a process whose flags were the same: the build sets this flag too
 * before it writes the vega code cache (scripts/vega-code-cache.mjs), or every run would refuse it.
 */
export function limitHeapGrowth(): void {
  if (
    !process.execArgv.some((flag) => HEAP_GROWTH_FLAG.test(flag)) &&
    !HEAP_GROWTH_FLAG.test(process.env.NODE_OPTIONS ?? "")
  )
    setFlagsFromString("--heap-growing-percent=30");
}
