import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { compareReports, type Comparison } from "../report/render-compare.js";
import { readReportJson } from "./gate-run.js";

function reportFile(target: string): string {
  if (!existsSync(target)) throw new UsageError(`${target} does not exist; expected a run folder or a report.json`);
  if (!statSync(target).isDirectory()) return target;
  const file = join(target, "report.json");
  if (!existsSync(file))
    throw new UsageError(`${target} holds no report.json; run \`extractor-bench report ${target}\` first`);
  return file;
}

/** Compare two runs, each given as a run folder or a report.json. */
export async function compareRuns(a: string, b: string): Promise<Comparison> {
  return compareReports(await readReportJson(reportFile(a)), await readReportJson(reportFile(b)));
}
