import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { InputError, RunError, type Problem } from "../errors.js";
import { issuesToProblems } from "../load/validate-record.js";
import { readText } from "../load/read-text.js";
import { RunLogRecordSchema, type RunLogRecord } from "../schema/run-log.js";

export const RUN_LOG_FILE = "run.jsonl";

/**
 * The append-only run log. Each finished unit of work is written in one `write` call before it
 * counts, so a killed process leaves at most one torn last line.
 */
export class RunLogWriter {
  private fd: number | undefined;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, "a");
    } catch (error) {
      throw new RunError(`cannot open the run log ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  append(record: RunLogRecord): void {
    if (this.fd === undefined) throw new RunError(`the run log ${this.path} is closed`);
    try {
      writeSync(this.fd, `${JSON.stringify(record)}\n`);
    } catch (error) {
      throw new RunError(`cannot append to the run log ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface ReadRunLog {
  records: RunLogRecord[];
  /** A last line cut short by an interrupted write was found and left out. */
  droppedTornLine: boolean;
}

/** Read and validate a run log; a torn last line is dropped, any other bad line is an InputError. */
export function readRunLog(path: string): ReadRunLog {
  const text = readText(path);
  const lines = text.split("\n");
  const endsCleanly = text.endsWith("\n");
  const problems: Problem[] = [];
  const records: RunLogRecord[] = [];
  let droppedTornLine = false;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const isLast = index === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (isLast && !endsCleanly) {
        droppedTornLine = true;
        return;
      }
      problems.push({ file: path, line: index + 1, message: "invalid JSON in the run log" });
      return;
    }
    const parsed = RunLogRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else problems.push(...issuesToProblems(parsed.error.issues, value, { file: path, line: index + 1 }));
  });
  if (problems.length > 0) throw new InputError(problems);
  if (records.length === 0 || records[0]!.kind !== "run_start") {
    throw new InputError([{ file: path, line: 1, message: "expected a run_start record on the first line" }]);
  }
  return { records, droppedTornLine };
}
