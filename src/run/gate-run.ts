import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, type Problem } from "../errors.js";
import { loadYamlDocument } from "../load/load-config.js";
import { parseJson } from "../load/parse-documents.js";
import { readText } from "../load/read-text.js";
import { issuesToProblems } from "../load/validate-record.js";
import { locatePath } from "../load/locate.js";
import { indexRunLog } from "../metrics/run-data.js";
import { evaluateGate } from "../recommend/gate.js";
import { buildReport } from "../report/build-report.js";
import { ThresholdsSchema, type Thresholds } from "../schema/bench-config.js";
import { BenchReportSchema, type BenchReport, type Gate } from "../schema/report.js";
import { z } from "zod";
import { readRunLog, RUN_LOG_FILE } from "./run-log.js";

const ThresholdsFileSchema = z.union([
  z.object({ thresholds: ThresholdsSchema.partial() }).passthrough(),
  ThresholdsSchema.partial(),
]);

/** Thresholds from a YAML file: a bare thresholds mapping, or any file with a `thresholds:` block (a bench file). */
export function loadThresholdsOverride(file: string): Partial<Thresholds> {
  const doc = loadYamlDocument(file, ThresholdsFileSchema);
  return "thresholds" in doc && doc.thresholds && typeof doc.thresholds === "object" ? (doc.thresholds as Partial<Thresholds>) : (doc as Partial<Thresholds>);
}

/** A report.json, validated: a bad file is an InputError naming the file, line and path. */
export function readReportJson(file: string): BenchReport {
  const text = readText(file);
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
export function gateRun(target: string, thresholdsFile?: string): GateOutcome {
  const override = thresholdsFile ? loadThresholdsOverride(thresholdsFile) : {};
  const isDir = existsSync(target) && statSync(target).isDirectory();
  if (isDir && existsSync(join(target, RUN_LOG_FILE))) {
    const run = indexRunLog(readRunLog(join(target, RUN_LOG_FILE)).records);
    const thresholds = ThresholdsSchema.parse({ ...run.start.bench.thresholds, ...override });
    return { gate: buildReport(run, thresholds).gate, source: join(target, RUN_LOG_FILE) };
  }
  const file = isDir ? join(target, "report.json") : target;
  const report = readReportJson(file);
  const thresholds = ThresholdsSchema.parse({ ...report.gate.thresholds, ...override });
  return { gate: evaluateGate(report.metrics, thresholds), source: file };
}
