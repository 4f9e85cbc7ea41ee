import { writtenList } from "../written-files.js";
import type { RegisterCommand } from "./command.js";

/** `report`: a run folder's reports written anew from its run log. */
export const registerReport: RegisterCommand = (program, { io, setExit, style }) => {
  program
    .command("report")
    .description("re-render report.html, report.md, report.json and junit.xml of a run folder from its run log alone")
    .argument("<run-dir>", "run folder holding run.jsonl")
    .action(async (runDir: string) => {
      const [{ renderRun }, { renderSummary }] = await Promise.all([
        import("../../run/write-run.js"),
        import("../../report/render-summary.js"),
      ]);
      const { report, files } = await renderRun(runDir);
      io.stdout(
        `${renderSummary(report, style)}\n\n${writtenList([files.html, files.markdown, files.json, files.junit])}`,
      );
      setExit(0);
    });
};
