import { appendStepSummary, writtenList } from "../written-files.js";
import type { RegisterCommand } from "./command.js";

/** `merge`: the shards of a sharded run combined into one run. */
export const registerMerge: RegisterCommand = (program, { io, setExit, style }) => {
  program
    .command("merge")
    .description(
      "combine the run folders of every shard of a sharded run (run --shard i/n) into one run and render its reports",
    )
    .argument("<run-dirs...>", "the run folder of each shard")
    .requiredOption("--out <dir>", "run folder to write the merged run into (new or empty)")
    .option("--json", "print report.json instead of the summary")
    .action(async (runDirs: string[], options: { out: string; json?: boolean }) => {
      const [{ mergeRuns }, { renderSummary }] = await Promise.all([
        import("../../run/merge-runs.js"),
        import("../../report/render-summary.js"),
      ]);
      const { report, files } = await mergeRuns(runDirs, options.out);
      appendStepSummary(io, files.markdown);
      io.stdout(
        options.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : `${renderSummary(report, style)}\n\n${writtenList([files.html, files.markdown, files.json, files.junit, files.log])}`,
      );
      setExit(0);
    });
};
