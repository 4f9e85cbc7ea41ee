import { join } from "node:path";
import type { RunFold } from "./run-fold.js";
import { buildReport } from "../report/build-report.js";
import type { BenchReport } from "../schema/report.js";
import type { Shard } from "../schema/run-log.js";
import { redactValue } from "../text/redact.js";
import type { RunPlan } from "./plan.js";
import { reportFromRunLog } from "./report-from-log.js";
import { RUN_LOG_FILE } from "./run-log.js";
import { writeReports, type WrittenFiles } from "./write-outputs.js";

export interface RunOutcome {
  runDir: string;
  report: BenchReport;
  files: WrittenFiles & { log: string };
  /** The shard the run took, when it took one (`run --shard i/n`). */
  shard?: Shard;
}

/** Write every report of a run folder from its folded log. */
export async function writeRun(runDir: string, fold: RunFold, plan: RunPlan): Promise<RunOutcome> {
  // Redacted before anything shows it: the summary shortens texts too.
  const report = redactValue(buildReport(fold.finish()));
  const files = await writeReports(runDir, report);
  return {
    runDir,
    report,
    files: { ...files, log: join(runDir, RUN_LOG_FILE) },
    ...(plan.shard ? { shard: plan.shard } : {}),
  };
}

/** Re-derive every report of a run folder from its run log alone. */
export async function renderRun(runDir: string): Promise<RunOutcome> {
  const logPath = join(runDir, RUN_LOG_FILE);
  const report = redactValue(await reportFromRunLog(logPath));
  const files = await writeReports(runDir, report);
  return { runDir, report, files: { ...files, log: logPath } };
}
