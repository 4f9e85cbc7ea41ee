import { describe, expect, it } from "vitest";
import { onOwnLine, progressLine, progressReporter } from "../../src/cli/progress.js";

describe("progressLine", () => {
  it("shows done/total alone when no model is called", () => {
    expect(progressLine({ phase: "dry_run", done: 4, total: 4, calls: 0, cacheHits: 0, costUsd: 0 }, 1000)).toBe("dry runs and judging: 4/4");
  });

  it("adds calls, cache hits, cost so far and an ETA from the pace of the phase", () => {
    expect(progressLine({ phase: "junk", done: 10, total: 40, calls: 12, cacheHits: 3, costUsd: 0.01234 }, 20_000)).toBe(
      "junk sample: 10/40 · 12 calls · 3 cache hits · $0.0123 · ETA 1m00s",
    );
  });

  it("shows ETA — until a unit has finished, and <1s rather than 0s while units remain", () => {
    const at = (done: number, elapsedMs: number) => progressLine({ phase: "dry_run", done, total: 24, calls: 0, cacheHits: 0, costUsd: 0 }, elapsedMs);
    expect(at(0, 0)).toBe("dry runs and judging: 0/24 · ETA —");
    expect(at(0, 30_000)).toBe("dry runs and judging: 0/24 · ETA —");
    expect(at(1, 5)).toBe("dry runs and judging: 1/24 · ETA <1s");
    expect(at(12, 12_000)).toBe("dry runs and judging: 12/24 · ETA 12s");
    expect(at(24, 5)).toBe("dry runs and judging: 24/24");
  });
});

describe("messages after a progress line", () => {
  it("start on a line of their own: an open progress line is cleared first, never glued to", () => {
    let written = "";
    const stderr = onOwnLine((text) => (written += text));
    const report = progressReporter({ stderr, env: {}, isTTY: true });
    report({ phase: "dry_run", done: 3, total: 24, calls: 0, cacheHits: 0, costUsd: 0 });
    stderr("SIGINT: stopping; units in flight get a moment to finish (press Ctrl-C again to quit now)\n");
    report({ phase: "dry_run", done: 4, total: 24, calls: 0, cacheHits: 0, costUsd: 0 });
    stderr("stopped by SIGINT: 4 of 24 dry runs and their judgements are kept\n");
    // What the terminal shows once the carriage returns and line clears are applied.
    const screen = written.split("\n").map((line) => line.split("\r").at(-1)!.replace(/\x1b\[2K/g, ""));
    expect(screen).toEqual([
      "SIGINT: stopping; units in flight get a moment to finish (press Ctrl-C again to quit now)",
      "stopped by SIGINT: 4 of 24 dry runs and their judgements are kept",
      "",
    ]);
    expect(written).not.toMatch(/ETA [^\r\n]*(stopped|SIGINT)/);
  });

  it("leave finished lines alone (CI and pipes print whole lines)", () => {
    let written = "";
    const stderr = onOwnLine((text) => (written += text));
    const report = progressReporter({ stderr, env: { CI: "true" }, isTTY: false });
    report({ phase: "dry_run", done: 0, total: 4, calls: 0, cacheHits: 0, costUsd: 0 });
    stderr("stopped by SIGINT\n");
    expect(written).toBe("dry runs and judging: 0/4 · ETA —\nstopped by SIGINT\n");
  });
});
