import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InterruptedError } from "../../src/errors.js";
import { stalePriceWarning } from "../../src/providers/pricing.js";
import { loadPlan, type BenchOptions } from "../../src/run/plan.js";
import { runBench } from "../../src/run/run-bench.js";
import { REPO, tempDir } from "../cli/helpers.js";

const LATER = new Date("2027-09-15T00:00:00Z");
const EARLY = new Date("2027-01-15T00:00:00Z");

describe("the run plan's warning about an old built-in price table", () => {
  let dir: string;
  let options: (candidate: string, extra?: Partial<BenchOptions>) => BenchOptions;
  beforeAll(() => {
    dir = tempDir("eb-prices-");
    // The loopback address is never called: loading a plan makes no model call.
    for (const [name, model] of [
      ["priced", "gpt-4.1-mini-2025-04-14"],
      ["local", "llama3.1:8b"],
    ]) {
      writeFileSync(
        join(dir, `${name}.yaml`),
        `name: ${name}\nextractor:\n  provider: openai\n  model: ${model}\n  base_url: http://127.0.0.1:9/v1\n  schema_version: 1\n`,
      );
    }
    options = (candidate, extra = {}) => ({
      baseline: join(REPO, "configs/baseline.yaml"),
      candidate: join(dir, candidate),
      dataset: join(REPO, "test/fixtures/good/conversations.json"),
      golden: join(REPO, "test/fixtures/good/golden.jsonl"),
      cwd: dir,
      env: { OPENAI_API_KEY: "unused" },
      ...extra,
    });
  });

  it("warns when a model of the run is priced from a table more than six months old", async () => {
    expect((await loadPlan(options("priced.yaml", { now: LATER }))).warnings).toEqual([stalePriceWarning(LATER)]);
    expect(stalePriceWarning(LATER)).toContain("(9 months old)");
  });

  it("does not warn while the table is recent, or when no model of the run is priced from it", async () => {
    expect((await loadPlan(options("priced.yaml", { now: EARLY }))).warnings).toEqual([]);
    expect((await loadPlan(options("local.yaml", { now: LATER }))).warnings).toEqual([]);
    expect(
      (await loadPlan({ ...options("local.yaml", { now: LATER }), candidate: join(REPO, "configs/candidate.yaml") }))
        .warnings,
    ).toEqual([]);
  });

  it("tells the run's caller before any work starts", async () => {
    const warnings: string[] = [];
    const progress: string[] = [];
    // Stopped before it starts: the warning is all the run gets to say.
    const run = runBench(
      options("priced.yaml", {
        now: LATER,
        out: join(dir, "run"),
        signal: AbortSignal.abort(),
        onWarning: (w) => warnings.push(w),
      }),
      (p) => progress.push(p.phase),
    );
    await expect(run).rejects.toThrow(InterruptedError);
    expect(warnings).toEqual([stalePriceWarning(LATER)]);
    expect(progress).toEqual([]);
  });
});
