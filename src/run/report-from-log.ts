import { RunFold } from "./run-fold.js";
import { buildReport } from "../report/build-report.js";
import { ThresholdsSchema, type Thresholds } from "../schema/bench-config.js";
import type { BenchReport } from "../schema/report.js";
import { scanRunLog } from "./run-log.js";

/** Fold a run log as it streams: a log of any size, in memory that holds the accumulators only. */
export function foldRunLog(logPath: string): RunFold {
  const fold = new RunFold();
  scanRunLog(logPath, (record) => fold.add(record));
  return fold;
}

/** The report of a run, derived from its run log alone; `override` replaces some of the run's thresholds. */
export async function reportFromRunLog(logPath: string, override: Partial<Thresholds> = {}): Promise<BenchReport> {
  const run = foldRunLog(logPath).finish();
  const thresholds =
    Object.keys(override).length > 0
      ? ThresholdsSchema.parse({ ...run.start.bench.thresholds, ...override })
      : run.start.bench.thresholds;
  return buildReport(run, thresholds);
}
