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
      { extends: true, test: { name: "isolated", include: ISOLATED } },
      { extends: true, test: { name: "shared-modules", include: ["test/**/*.test.ts"], exclude: ISOLATED, isolate: false } },
    ],
  },
});
