import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Each file in a worker thread of its own rather than a child process of its own (the default,
    // "forks"): the same isolation (a fresh module graph per file) at about half the start-up CPU per
    // file. No test changes the working directory, the one process-wide thing a thread cannot.
    pool: "threads",
    // Vitest's default on two cores is one worker (one fewer than the cores), so files ran one at a
    // time while most slow files wait on child processes, servers and signals rather than compute.
    maxWorkers: 4,
    // Tests wait on events (a line, a log record, an exit), never on wall time: the timeout only ends a
    // test that hangs, and is long enough that a busy machine (another suite alongside) is not one.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
