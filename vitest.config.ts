import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * Files that need a module graph of their own: they mock a module (latest: node:fs), register into a
 * module's table (a provider; redact's known secrets) or test what a fresh process loads. Every other
 * file shares its worker's modules with the files before it (isolate off): a worker imports zod, the
 * schemas, the CLI and the metrics once instead of once per file, and runs them warm. A file that
 * leaves module state behind for the next one to trip on belongs here.
 */
const ISOLATED = [
  "test/run/latest.test.ts",
  "test/providers/register-provider.test.ts",
  "test/text/redact.test.ts",
  "test/providers/lazy-sdk.test.ts",
  "test/cli/start-modules.test.ts",
];

/**
 * The slowest files, slowest first (wall time of each alone on a 2-core machine). They start before
 * the rest, so the quick files fill the cores around them instead of one slow file running alone at
 * the end. Vitest's own order puts them first only once its cache has their durations, which a fresh
 * checkout (CI) does not have.
 */
const SLOWEST = [
  "test/run/resume.test.ts",
  "test/cli/stop.test.ts",
  "test/scenarios/known-truth.test.ts",
  "test/docs/docs-run.test.ts",
  "test/run/run-folder.test.ts",
  "test/retrieval/retriever-wiring.test.ts",
  "test/run/models-crash.test.ts",
  "test/scenarios/judge-noise.test.ts",
  "test/run/merge.test.ts",
  "test/report/render-markdown.test.ts",
  "test/golden/review-browser.test.ts",
  "test/report/html/browser.test.ts",
  "test/cli/batch-run.test.ts",
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = SLOWEST.findIndex((path) => file.moduleId.endsWith(path));
      return index === -1 ? SLOWEST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    environment: "node",
    // Each file in a worker thread rather than a child process (the default, "forks"): about half the
    // start-up CPU per file. No test changes the working directory, the one process-wide thing a
    // thread cannot; environment changes a test makes are its thread's own.
    pool: "threads",
    // Vitest's default on two cores is one worker (one fewer than the cores), so files ran one at a
    // time while most slow files wait on child processes, servers and signals rather than compute.
    maxWorkers: 4,
    // Tests wait on events (a line, a log record, an exit), never on wall time: the timeout only ends a
    // test that hangs, and is long enough that a busy machine (another suite alongside) is not one.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    sequence: { sequencer: SlowestFirst },
    projects: [
      { extends: true, test: { name: "isolated", include: ISOLATED } },
      { extends: true, test: { name: "shared-modules", include: ["test/**/*.test.ts"], exclude: ISOLATED, isolate: false } },
    ],
  },
});
