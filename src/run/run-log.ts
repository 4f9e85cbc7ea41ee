import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { crc32 } from "node:zlib";
import { InputError, RunError, type Problem } from "../errors.js";
import { issuesToProblems } from "../load/validate-record.js";
import { readText } from "../load/read-text.js";
import { RunLogRecordSchema, type RunLogRecord } from "../schema/run-log.js";

export const RUN_LOG_FILE = "run.jsonl";

/** Every line ends with the CRC-32 of the record before it: `{…,"crc32":"1a2b3c4d"}`. */
const CRC_SUFFIX = /,"crc32":"([0-9a-f]{8})"\}$/;
/** How long an appended record may wait for its fsync: one flush serves every record of the window. */
export const SYNC_INTERVAL_MS = 100;

function checksum(json: string): string {
  return crc32(json).toString(16).padStart(8, "0");
}

/** One record as a run-log line: its JSON with a checksum of that JSON as a last field. */
export function encodeRecord(record: RunLogRecord): string {
  const json = JSON.stringify(record);
  return `${json.slice(0, -1)},"crc32":"${checksum(json)}"}\n`;
}

/** The record of a line, or why it is not one: no checksum, a checksum that does not match, not JSON. */
function decodeLine(line: string): { value: unknown } | { broken: string } {
  const match = CRC_SUFFIX.exec(line);
  if (!match) return { broken: "no checksum: the line was cut short or edited" };
  const json = `${line.slice(0, match.index)}}`;
  if (checksum(json) !== match[1]) return { broken: "checksum mismatch: the line was damaged" };
  try {
    return { value: JSON.parse(json) };
  } catch {
    return { broken: "invalid JSON in the run log" };
  }
}

/**
 * The append-only, write-ahead run log. A record is written whole in one `write` before its unit
 * counts, so a killed process leaves at most a torn last line; the file is fsynced at most
 * SYNC_INTERVAL_MS after each append (one flush for all records of the window) and on close, so a
 * crash of the machine loses at most that window, which a resumed run redoes.
 */
export class RunLogWriter {
  private fd: number | undefined;
  private timer: NodeJS.Timeout | undefined;

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
      writeSync(this.fd, encodeRecord(record));
    } catch (error) {
      throw new RunError(`cannot append to the run log ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    this.timer ??= setTimeout(() => this.sync(), SYNC_INTERVAL_MS);
  }

  /** Make everything appended so far durable. */
  sync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface DroppedLine {
  line: number;
  reason: string;
}

export interface ReadRunLog {
  records: RunLogRecord[];
  /** A last line cut short by an interrupted write was found and left out. */
  droppedTornLine: boolean;
  /** Lines left out: a damaged tail (and, with `dropCorrupt`, damaged lines anywhere). */
  dropped: DroppedLine[];
  /** Bytes up to the end of the last good line: where a resumed run appends. */
  validBytes: number;
}

/**
 * Read and verify a run log. Damaged lines at the end (a write cut short, a full disk) are the torn
 * tail: left out and reported, their units redone by a resumed run. A damaged line before good ones is
 * an InputError naming it, unless `dropCorrupt` (a resume, which redoes it).
 */
export function readRunLog(path: string, options: { dropCorrupt?: boolean } = {}): ReadRunLog {
  const text = readText(path);
  const lines = text.split("\n");
  const problems: Problem[] = [];
  const entries: Array<{ line: number; value: unknown; end: number } | { line: number; broken: string }> = [];
  let offset = 0;
  lines.forEach((line, index) => {
    offset += Buffer.byteLength(line, "utf8") + (index < lines.length - 1 ? 1 : 0);
    if (line.trim() === "") return;
    const decoded = decodeLine(line);
    entries.push("value" in decoded ? { line: index + 1, value: decoded.value, end: offset } : { line: index + 1, broken: decoded.broken });
  });
  const lastGood = entries.findLastIndex((entry) => "value" in entry);
  const records: RunLogRecord[] = [];
  const dropped: DroppedLine[] = [];
  let validBytes = 0;
  entries.forEach((entry, i) => {
    if ("broken" in entry) {
      if (i > lastGood || options.dropCorrupt) dropped.push({ line: entry.line, reason: entry.broken });
      else problems.push({ file: path, line: entry.line, message: `${entry.broken}; resume the run (run --resume) to redo what it held` });
      return;
    }
    const parsed = RunLogRecordSchema.safeParse(entry.value);
    if (parsed.success) {
      records.push(parsed.data);
      validBytes = entry.end;
    } else problems.push(...issuesToProblems(parsed.error.issues, entry.value, { file: path, line: entry.line }));
  });
  if (problems.length > 0) throw new InputError(problems);
  if (records.length === 0 || records[0]!.kind !== "run_start") {
    throw new InputError([{ file: path, line: 1, message: "expected a run_start record on the first line" }]);
  }
  const droppedTornLine = dropped.length > 0 && dropped[dropped.length - 1]!.line === entries[entries.length - 1]!.line;
  return { records, droppedTornLine, dropped, validBytes };
}
