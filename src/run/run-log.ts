import { closeSync, fstatSync, fsync, fsyncSync, openSync, writeSync } from "node:fs";
import { InputError, RunError, type Problem } from "../errors.js";
import { forEachLine, readBytesAt } from "../load/line-reader.js";
import { issuesToProblems } from "../load/validate-record.js";
import { FORMAT_VERSION } from "../schema/constants.js";
import { endsFinishedRun, type RunEnd, type RunLogRecord, type RunStart } from "../schema/run-log.js";
import { TOOL_VERSION } from "../version.js";
import { decodeLine, readLogEnds } from "./log-line.js";
import { decodeRecordLine, encodeRecord, expand, parseRecord } from "./log-record.js";
import { logUpgrade, upgradeRunStart, type LogUpgrade } from "./log-upgrade.js";

export { RUN_LOG_FILE } from "../schema/constants.js";
export { decodeRecordLine, encodeRecord } from "./log-record.js";

/** How long an appended record may wait for its fsync: one flush serves every record of the window. */
export const SYNC_INTERVAL_MS = 100;

/**
 * The append-only, write-ahead run log. Records appended in the same turn of the event loop are
 * written together in one `write` before any other work runs (a unit's record is on disk before the
 * next unit starts), so a killed process leaves at most a torn last line; an fsync starts at most
 * SYNC_INTERVAL_MS after each append (one flush for all records of the window) and on close, so a
 * crash of the machine loses at most that window, which a resumed run redoes.
 */
export class RunLogWriter {
  private fd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending: string[] = [];
  private size: number;
  /** A background fsync in flight; close waits for it before closing the file. */
  private syncing: Promise<void> | undefined;
  /** A write that failed after append returned: thrown by the next append, flush or close. */
  private failure: RunError | undefined;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, "a");
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      throw new RunError(`cannot open the run log ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Queue a record; it is written before the current turn of the event loop ends. Returns where it will sit. */
  append(record: RunLogRecord): RecordAt {
    return this.appendLine(encodeRecord(record));
  }

  private appendLine(line: string): RecordAt {
    if (this.fd === undefined) throw new RunError(`the run log ${this.path} is closed`);
    if (this.failure) throw this.failure;
    const bytes = Buffer.byteLength(line, "utf8");
    const at = { offset: this.size, bytes: bytes - 1 };
    this.size += bytes;
    if (this.pending.push(line) === 1) {
      queueMicrotask(() => {
        try {
          this.flush();
        } catch (error) {
          this.failure = error as RunError;
        }
      });
    }
    this.timer ??= setTimeout(() => this.syncInBackground(), SYNC_INTERVAL_MS);
    return at;
  }

  /** The timed flush: written now, made durable off the event loop so the run does not wait on the disk. */
  private syncInBackground(): void {
    this.timer = undefined;
    try {
      this.flush();
    } catch (error) {
      this.failure = error as RunError;
      return;
    }
    const fd = this.fd;
    if (fd === undefined) return;
    const previous = this.syncing ?? Promise.resolve();
    this.syncing = previous.then(() => new Promise<void>((resolveSync) => fsync(fd, () => resolveSync())));
  }

  /** Write the queued records now. */
  flush(): void {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0 || this.fd === undefined) return;
    const data = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    try {
      for (let written = 0; written < data.length; )
        written += writeSync(this.fd, data, written, data.length - written);
    } catch (error) {
      throw new RunError(`cannot append to the run log ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Make everything appended so far durable. */
  sync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  async close(): Promise<void> {
    if (this.fd === undefined) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.syncing;
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

/** Where a record sits in the log file, so it can be read back alone. */
export interface RecordAt {
  offset: number;
  bytes: number;
}

export interface ScanOptions {
  /** Drop damaged lines anywhere (a resume, which redoes their units) instead of refusing the log. Default false. */
  dropCorrupt?: boolean;
  /**
   * Take each record whose checksum holds as written, without validating it, when the log's run_start
   * (always validated) says this version of the bench wrote it in this format: the bench validated the
   * record when it wrote it and the checksum says the line is as it was, as a sealed report.json is
   * taken as it is. Validating every record was a sixth of the time of a merge. Default false.
   */
  trustOwnRecords?: boolean;
}

export type ScanResult = Omit<ReadRunLog, "records"> & { records: number };

/**
 * Read and verify a run log as a stream, handing each record to `onRecord` with where it sits and its
 * line as written, as text and as bytes (a view valid during the call; checksum included, so it can be
 * copied into another log as it is): a log of any
 * size is read in constant memory. Damaged lines at the end (a write cut short, a full disk) are the
 * torn tail: left out and reported, their units redone by a resumed run. A damaged line before good
 * ones is an InputError naming it, unless `dropCorrupt`.
 */
export function scanRunLog(
  path: string,
  onRecord: (record: RunLogRecord, at: RecordAt, line: string, bytes: Buffer) => void,
  options: ScanOptions = {},
): ScanResult {
  const problems: Problem[] = [];
  const dropped: DroppedLine[] = [];
  let held: DroppedLine[] = []; // damaged lines not yet followed by a good one
  let records = 0;
  let validBytes = 0;
  let lastLine = 0;
  let trusted = false;
  let upgrade: LogUpgrade | undefined;
  forEachLine(path, (line, at, bytes) => {
    if (line.trim() === "") return;
    lastLine = at.line;
    const decoded = decodeLine(line);
    if ("broken" in decoded) {
      held.push({ line: at.line, reason: decoded.broken });
      return;
    }
    for (const broken of held) {
      if (options.dropCorrupt) dropped.push(broken);
      else
        problems.push({
          file: path,
          line: broken.line,
          message: `${broken.reason}; resume the run (run --resume) to redo what it held`,
        });
    }
    held = [];
    const parsed = trusted
      ? { success: true as const, data: expand(decoded.value) as RunLogRecord }
      : parseRecord(decoded.value);
    if (!parsed.success) {
      problems.push(...issuesToProblems(parsed.error.issues, decoded.value, { file: path, line: at.line }));
      return;
    }
    if (records === 0 && parsed.data.kind !== "run_start") {
      problems.push({ file: path, line: at.line, message: "expected a run_start record on the first line" });
      return;
    }
    if (records === 0) {
      if (options.trustOwnRecords) trusted = writtenByThisBench(parsed.data as RunStart);
      upgrade = logUpgrade(parsed.data);
    }
    records++;
    validBytes = at.offset + at.bytes + 1;
    if (problems.length > 0) return;
    if (!upgrade!.upgrades)
      return onRecord(parsed.data as RunLogRecord, { offset: at.offset, bytes: at.bytes }, line, bytes);
    // A record of an older format goes on in the current shape, as a line of the current format.
    const record = upgrade!.record(parsed.data);
    const written = record === parsed.data ? line : encodeRecord(record).slice(0, -1);
    onRecord(
      record,
      { offset: at.offset, bytes: at.bytes },
      written,
      written === line ? bytes : Buffer.from(written, "utf8"),
    );
  });
  dropped.push(...held);
  if (problems.length > 0) throw new InputError(problems);
  if (records === 0)
    throw new InputError([{ file: path, line: 1, message: "expected a run_start record on the first line" }]);
  const droppedTornLine = held.length > 0 && held[held.length - 1]!.line === lastLine;
  return { records, droppedTornLine, dropped, validBytes };
}

/** Whether a log of this run_start was written by this version of the bench, in the format it writes. */
function writtenByThisBench(start: RunStart): boolean {
  return start.tool_version === TOOL_VERSION && start.format_version === FORMAT_VERSION;
}

/**
 * Read and verify a whole run log into memory (see scanRunLog, which streams it). Damaged lines at the
 * end are left out and reported; a damaged line before good ones is an InputError unless `dropCorrupt`.
 */
export function readRunLog(path: string, options: ScanOptions = {}): ReadRunLog {
  const records: RunLogRecord[] = [];
  const scan = scanRunLog(path, (record) => records.push(record), options);
  return { ...scan, records };
}

/** The record at a place in an open log file, as scanRunLog reported it (its checksum verified). */
export function readRecordAt(fd: number, at: RecordAt, path: string): RunLogRecord {
  return decodeRecordLine(readBytesAt(fd, at.offset, at.bytes).toString("utf8"), path, at.offset);
}

/**
 * The run_start a log begins with and the run_end it ends with (absent when the run did not finish:
 * its last record is another), validated, read without the rest of the log.
 */
export function readRunLogBounds(path: string): { start: RunStart; end?: RunEnd } {
  const { first, last } = readLogEnds(path);
  const start = first === undefined ? undefined : parseRecord(first);
  if (start && !start.success)
    throw new InputError(issuesToProblems(start.error.issues, first, { file: path, line: 1 }));
  if (start?.data.kind !== "run_start")
    throw new InputError([{ file: path, line: 1, message: "expected a run_start record on the first line" }]);
  const end = last?.kind === "run_end" ? parseRecord(last) : undefined;
  const upgraded = upgradeRunStart(start.data);
  return end?.success && end.data.kind === "run_end" && endsFinishedRun(end.data)
    ? { start: upgraded, end: end.data }
    : { start: upgraded };
}
