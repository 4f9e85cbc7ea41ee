import type { RegisterCommand } from "./command.js";

/** `compare`: what moved between two runs. */
export const registerCompare: RegisterCommand = (program, { io, setExit, style }) => {
  program
    .command("compare")
    .description("what moved between two runs: each run's deltas with their intervals, the gate, the vocabulary")
    .argument("<a>", "first run: run folder or report.json")
    .argument("<b>", "second run: run folder or report.json")
    .option("--json", "print the comparison as JSON")
    .action(async (a: string, b: string, options: { json?: boolean }) => {
      const [{ compareRuns }, { renderComparison }] = await Promise.all([
        import("../../run/compare-runs.js"),
        import("../../report/render-compare.js"),
      ]);
      const comparison = await compareRuns(a, b);
      io.stdout(options.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${renderComparison(comparison, style)}\n`);
      setExit(0);
    });
};
