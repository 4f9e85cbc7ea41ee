import { afterEach, describe, expect, it, vi } from "vitest";
import { onOwnLine, progressLine, progressReporter, REDRAW_MS } from "../../src/cli/progress.js";

describe("progressLine", () => {
  it("shows done/total alone when no model is called", () => {
    expect(progressLine({ phase: "dry_run", done: 4, total: 4, calls: 0, cacheHits: 0, costUsd: 0 }, 1000)).toBe(
      "dry runs and judging: 4/4",
    );
  });

  it("adds calls, cache hits, cost so far and an ETA from the pace of the phase", () => {
    expect(
      progressLine({ phase: "junk", done: 10, total: 40, calls: 12, cacheHits: 3, costUsd: 0.01234 }, 20_000),
    ).toBe("junk sample: 10/40 · 12 calls · 3 cache hits · $0.0123 · ETA 1m00s");
  });

  it("marks the cost so far incomplete while a model that answered has no price", () => {
    const progress = { phase: "dry_run", done: 2, total: 4, calls: 6, cacheHits: 0, costUsd: 0.002 } as const;
    expect(progressLine({ ...progress, unpriced: ["llama3.1:8b"] }, 1000)).toBe(
      "dry runs and judging: 2/4 · 6 calls · 0 cache hits · $0.0020 (incomplete: no price for llama3.1:8b) · ETA 1s",
    );
    expect(progressLine({ ...progress, unpriced: [] }, 1000)).toBe(
      "dry runs and judging: 2/4 · 6 calls · 0 cache hits · $0.0020 · ETA 1s",
    );
  });

  it("shows ETA — until a unit has finished, and <1s rather than 0s while units remain", () => {
    const at = (done: number, elapsedMs: number) =>
      progressLine({ phase: "dry_run", done, total: 24, calls: 0, cacheHits: 0, costUsd: 0 }, elapsedMs);
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
    const screen = written.split("\n").map((line) =>
      line
        .split("\r")
        .at(-1)!
        .replace(/\x1b\[2K/g, ""),
    );
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

describe("progress on a terminal", () => {
  afterEach(() => vi.useRealTimers());
  const unit = (phase: "dry_run" | "junk", done: number, total: number) => ({
    phase,
    done,
    total,
    calls: 0,
    cacheHits: 0,
    costUsd: 0,
  });

  it("rewrites one line in place, ends it when the phase is done, and times each phase from its start", () => {
    vi.useFakeTimers({ now: 0 });
    const written: string[] = [];
    const report = progressReporter({ stderr: (text) => written.push(text), env: {}, isTTY: true });
    report(unit("dry_run", 0, 3));
    vi.setSystemTime(2_000);
    report(unit("dry_run", 1, 3));
    vi.setSystemTime(2_000 + REDRAW_MS);
    report(unit("dry_run", 2, 3));
    report(unit("dry_run", 3, 3));
    vi.setSystemTime(10_000);
    report(unit("junk", 0, 2));
    vi.setSystemTime(11_000);
    report(unit("junk", 1, 2));
    expect(written).toEqual([
      "\r\x1b[2Kdry runs and judging: 0/3 · ETA —",
      "\r\x1b[2Kdry runs and judging: 1/3 · ETA 4s",
      "\r\x1b[2Kdry runs and judging: 2/3 · ETA 1s",
      "\r\x1b[2Kdry runs and judging: 3/3\n",
      "\r\x1b[2Kjunk sample: 0/2 · ETA —",
      "\r\x1b[2Kjunk sample: 1/2 · ETA 1s",
    ]);
  });

  it("redraws at most every REDRAW_MS, the phase's first and last line always", () => {
    vi.useFakeTimers({ now: 0 });
    const written: string[] = [];
    const report = progressReporter({ stderr: (text) => written.push(text), env: {}, isTTY: true });
    for (let done = 0; done <= 1000; done++) {
      report(unit("dry_run", done, 1000));
      vi.setSystemTime(done); // a unit a millisecond
    }
    report(unit("junk", 0, 5));
    expect(written.map((text) => text.replace(/^\r\x1b\[2K/, "").replace(/ · ETA .*/, ""))).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `dry runs and judging: ${i * REDRAW_MS + (i > 0 ? 1 : 0)}/1000`),
      "dry runs and judging: 1000/1000\n",
      "junk sample: 0/5",
    ]);
  });

  it("prints whole lines at each quarter instead when CI is set, even on a terminal", () => {
    const written: string[] = [];
    const report = progressReporter({ stderr: (text) => written.push(text), env: { CI: "true" }, isTTY: true });
    for (let done = 0; done <= 8; done++) report(unit("dry_run", done, 8));
    expect(written.map((line) => line.replace(/ · ETA .*/, ""))).toEqual([
      "dry runs and judging: 0/8\n",
      "dry runs and judging: 2/8\n",
      "dry runs and judging: 4/8\n",
      "dry runs and judging: 6/8\n",
      "dry runs and judging: 8/8\n",
    ]);
  });
});
