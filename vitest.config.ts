import { defineConfig } from "vitest/config";

/**
 * Tests of pure functions (metrics, schemas, rules, text, loaders, judges without a model): no CLI run,
 * no environment variable, no mock, no registration. They share their worker's modules from file to
 * file instead of importing them anew, which is most of what such a file costs.
 */
const SHARED_MODULES = [
  "test/metrics/**/*.test.ts",
  "test/schema/**/*.test.ts",
  "test/recommend/**/*.test.ts",
  "test/text/format-number.test.ts",
  "test/text/lru-cache.test.ts",
  "test/text/similarity-index.test.ts",
  "test/text/tokens.test.ts",
  "test/judge/coverage-alternatives.test.ts",
  "test/judge/coverage-index.test.ts",
  "test/judge/heuristic-judge.test.ts",
  "test/judge/independent-judge.test.ts",
  "test/judge/whole-value.test.ts",
  "test/load/import/*.test.ts",
  "test/load/line-reader.test.ts",
  "test/load/load-config.test.ts",
  "test/load/load-inputs.test.ts",
  "test/load/load-thresholds.test.ts",
  "test/load/locate.test.ts",
  "test/load/model-configs.test.ts",
  "test/load/parse-yaml.test.ts",
  "test/extract/answer-mapping.test.ts",
  "test/extract/custom-template.test.ts",
  "test/extract/pipeline-stages.test.ts",
  "test/extract/rules-extractor.test.ts",
  "test/retrieval/bm25.test.ts",
  "test/retrieval/strategies.test.ts",
  "test/providers/pricing.test.ts",
  "test/providers/provider-table.test.ts",
  "test/providers/request-protocol.test.ts",
];

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
    projects: [
      // Every other file imports its modules anew (isolate, the default).
      { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts"], exclude: SHARED_MODULES } },
      { extends: true, test: { name: "shared-modules", include: SHARED_MODULES, isolate: false } },
    ],
  },
});
