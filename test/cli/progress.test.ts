import { describe, expect, it } from "vitest";
import { progressLine } from "../../src/cli/progress.js";

describe("progressLine", () => {
  it("shows done/total alone when no model is called", () => {
    expect(progressLine({ phase: "dry_run", done: 4, total: 4, calls: 0, cacheHits: 0, costUsd: 0 }, 1000)).toBe("dry runs and judging: 4/4");
  });

  it("adds calls, cache hits, cost so far and an ETA from the pace of the phase", () => {
    expect(progressLine({ phase: "junk", done: 10, total: 40, calls: 12, cacheHits: 3, costUsd: 0.01234 }, 20_000)).toBe(
      "junk sample: 10/40 · 12 calls · 3 cache hits · $0.0123 · ETA 1m00s",
    );
  });
});
