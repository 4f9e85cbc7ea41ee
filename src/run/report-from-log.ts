import { indexRunLog } from "../metrics/run-data.js";
import { buildReport } from "../report/build-report.js";
import { ThresholdsSchema, type Thresholds } from "../schema/bench-config.js";
import type { BenchReport } from "../schema/report.js";
import { readRunLog } from "./run-log.js";

/** The report of a run, derived from its run log alone; `override` replaces some of the run's thresholds. */
export async function reportFromRunLog(logPath: string, override: Partial<Thresholds> = {}): Promise<BenchReport> {
  const run = indexRunLog(readRunLog(logPath).records);
  const thresholds = Object.keys(override).length > 0 ? ThresholdsSchema.parse({ ...run.start.bench.thresholds, ...override }) : run.start.bench.thresholds;
  return buildReport(run, thresholds);
}
