import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, RunError, type Problem } from "../errors.js";
import { readText } from "../load/read-text.js";
import { evaluateGate } from "../recommend/gate.js";
import { openSealedReportJson } from "../report/report-json.js";
import type { Thresholds } from "../schema/bench-config.js";
import { FORMAT_VERSION, LATEST, RUN_LOG_FILE } from "../schema/constants.js";
import type { BenchReport, Gate } from "../schema/report.js";
import { readLogEnds } from "./log-line.js";

/** Thresholds from a YAML file: a bare thresholds mapping, or any file with a `thresholds:` block (a bench file). */
export async function loadThresholdsOverride(file: string): Promise<Partial<Thresholds>> {
  return (await import("../load/load-thresholds.js")).loadThresholdsFile(file);
}

/**
 * A report.json, validated: a bad file is an InputError naming the file, line and path. A file the
 * bench sealed and nobody changed since was validated when it was written, and is taken as it is.
 */
export async function readReportJson(file: string): Promise<BenchReport> {
  const text = readText(file);
  const sealed = openSealedReportJson(text);
  if (sealed) return sealed;
  const [{ parseJson }, { issuesToProblems }, { locatePath }, { BenchReportSchema }] = await Promise.all([
    import("../load/parse-documents.js"),
    import("../load/validate-record.js"),
    import("../load/locate.js"),
    import("../schema/report.js"),
  ]);
  const problems: Problem[] = [];
  const value = parseJson(text, file, problems);
  if (value === undefined) throw new InputError(problems);
  const parsed = BenchReportSchema.safeParse(value);
  if (!parsed.success)
    throw new InputError(issuesToProblems(parsed.error.issues, value, { file, locate: (p) => locatePath(text, p) }));
  return parsed.data;
}

export interface GateOutcome {
  gate: Gate;
  /** The file the gate was evaluated from: a report.json, or the run log the report was rebuilt from. */
  source: string;
  /** Why a run folder's report.json could not be used and the report was rebuilt from its run log. */
  rebuilt?: string;
}

/**
 * A run folder's report.json when it stands for the folder's run log as it is now: sealed and
 * untouched since the bench wrote it, of this bench's format, of a finished run, and of this log (the
 * same run id, and the log still ends with the run_end the report was folded up to: a resume or a
 * retry appends a new one). Otherwise why not. Reads report.json and the two ends of the log only.
 */
export function sealedReportOf(runDir: string): { report: BenchReport } | { why: string } {
  const file = join(runDir, "report.json");
  if (!existsSync(file)) return { why: "the folder has no report.json" };
  const report = openSealedReportJson(readText(file));
  if (!report) return { why: "report.json has no seal or was changed after the bench wrote it" };
  if (report.format_version !== FORMAT_VERSION)
    return { why: `report.json is of format ${report.format_version}, this bench writes format ${FORMAT_VERSION}` };
  if (!report.run.complete) return { why: "report.json is the partial report of an unfinished run" };
  const { first, last } = readLogEnds(join(runDir, RUN_LOG_FILE));
  if (first?.run_id !== report.run.run_id)
    return {
      why: `report.json is of run ${report.run.run_id}, the run log of ${String(first?.run_id ?? "no readable run")}`,
    };
  if (last?.kind !== "run_end" || last.finished_at !== report.run.finished_at)
    return { why: `${RUN_LOG_FILE} changed after report.json was written` };
  return { report };
}

/**
 * Re-evaluate the gate of a finished run, from its run folder or a report.json, optionally with other
 * thresholds. A run folder's sealed report.json is used when it stands for the run log as it is (see
 * sealedReportOf); otherwise the report is rebuilt from the run log, and `rebuilt` says why.
 */
export async function gateRun(target: string, thresholdsFile?: string): Promise<GateOutcome> {
  const override = thresholdsFile ? await loadThresholdsOverride(thresholdsFile) : {};
  const isDir = existsSync(target) && statSync(target).isDirectory();
  if (isDir && existsSync(join(target, RUN_LOG_FILE))) {
    const sealed = sealedReportOf(target);
    if ("report" in sealed) return gateOfReport(sealed.report, join(target, "report.json"), override);
    const { reportFromRunLog } = await import("./report-from-log.js");
    const report = await reportFromRunLog(join(target, RUN_LOG_FILE), override);
    refuseIncomplete(report, join(target, RUN_LOG_FILE));
    return { gate: report.gate, source: join(target, RUN_LOG_FILE), rebuilt: sealed.why };
  }
  if (isDir && !existsSync(join(target, "report.json")))
    throw new InputError([{ file: target, message: notARun(target) }]);
  if (!existsSync(target))
    throw new InputError([
      {
        file: target,
        message: "no such file or folder: gate takes a run folder (such as reports/latest) or its report.json",
      },
    ]);
  const file = isDir ? join(target, "report.json") : target;
  return gateOfReport(await readReportJson(file), file, override);
}

/** What to gate instead of a folder that holds no run: its newest run, or a run made first. */
function notARun(folder: string): string {
  const runs = readdirSync(folder, { withFileTypes: true })
    .filter(
      (entry) => (entry.isDirectory() || entry.isSymbolicLink()) && existsSync(join(folder, entry.name, RUN_LOG_FILE)),
    )
    .map((entry) => entry.name);
  if (runs.includes(LATEST))
    return `a folder of runs, not a run: gate the newest with: extractor-bench gate ${join(folder, LATEST)}`;
  // Run ids start with their start time (20261206-165845-…): the last in order is the newest.
  if (runs.length > 0)
    return `a folder of ${runs.length} runs, not a run: gate one of them, the newest with: extractor-bench gate ${join(folder, runs.sort().at(-1)!)}`;
  return "holds no run (no run.jsonl, no report.json): run the bench first (extractor-bench run), then gate its run folder, such as reports/latest";
}

/** The gate of a report, evaluated again with its thresholds (some replaced by `override`). */
async function gateOfReport(report: BenchReport, file: string, override: Partial<Thresholds>): Promise<GateOutcome> {
  refuseIncomplete(report, file);
  const thresholds =
    Object.keys(override).length > 0
      ? (await import("../schema/bench-config.js")).ThresholdsSchema.parse({ ...report.gate.thresholds, ...override })
      : report.gate.thresholds;
  return { gate: evaluateGate(report, thresholds), source: file };
}

/** A gate on a run that did not finish would judge part of the work as if it were all of it. */
function refuseIncomplete(report: BenchReport, source: string): void {
  const { completeness } = report;
  if (completeness.complete) return;
  const judged = completeness.baseline.attempted + completeness.candidate.attempted;
  throw new RunError(
    `${source}: the run did not finish (no run_end record): ${completeness.missing_dry_runs} of ${2 * completeness.conversations} dry runs are missing ` +
      `(${judged} logged); finish or re-run it before gating`,
  );
}
