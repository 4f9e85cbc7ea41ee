import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, RunError, type Problem } from "../errors.js";
import { readText } from "../load/read-text.js";
import { evaluateGate } from "../recommend/gate.js";
import { openSealedReportJson } from "../report/report-json.js";
import type { Thresholds } from "../schema/bench-config.js";
import { RUN_LOG_FILE } from "../schema/constants.js";
import type { BenchReport, Gate } from "../schema/report.js";


/** Thresholds from a YAML file: a bare thresholds mapping, or any file with a `thresholds:` block (a bench file). */
export async function loadThresholdsOverride(file: string): Promise<Partial<Thresholds>> {
  const [{ loadYamlDocument }, { ThresholdsSchema }, { z }] = await Promise.all([import("../load/load-config.js"), import("../schema/bench-config.js"), import("zod")]);
  const ThresholdsFileSchema = z.union([z.object({ thresholds: ThresholdsSchema.partial() }).passthrough(), ThresholdsSchema.partial()]);
  const doc = loadYamlDocument(file, ThresholdsFileSchema);
  return "thresholds" in doc && doc.thresholds && typeof doc.thresholds === "object" ? (doc.thresholds as Partial<Thresholds>) : (doc as Partial<Thresholds>);
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
  if (!parsed.success) throw new InputError(issuesToProblems(parsed.error.issues, value, { file, locate: (p) => locatePath(text, p) }));
  return parsed.data;
}

export interface GateOutcome {
  gate: Gate;
  source: string;
}

/**
 * Re-evaluate the gate of a finished run, from its run folder (the run log) or a report.json,
 * optionally with other thresholds.
 */
export async function gateRun(target: string, thresholdsFile?: string): Promise<GateOutcome> {
  const override = thresholdsFile ? await loadThresholdsOverride(thresholdsFile) : {};
  const isDir = existsSync(target) && statSync(target).isDirectory();
  if (isDir && existsSync(join(target, RUN_LOG_FILE))) {
    const { reportFromRunLog } = await import("./report-from-log.js");
    const report = await reportFromRunLog(join(target, RUN_LOG_FILE), override);
    refuseIncomplete(report, join(target, RUN_LOG_FILE));
    return { gate: report.gate, source: join(target, RUN_LOG_FILE) };
  }
  const file = isDir ? join(target, "report.json") : target;
  const report = await readReportJson(file);
  refuseIncomplete(report, file);
  const thresholds =
    Object.keys(override).length > 0 ? (await import("../schema/bench-config.js")).ThresholdsSchema.parse({ ...report.gate.thresholds, ...override }) : report.gate.thresholds;
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
