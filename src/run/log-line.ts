import { closeSync, fstatSync, openSync } from "node:fs";
import { crc32 } from "node:zlib";
import { readBytesAt } from "../load/line-reader.js";

// A run-log line decoded, and the two ends of a log read, without the schemas: `gate` on a run folder
// reads a log's ends and loads nothing more.

/** Every line ends with the CRC-32 of the record before it: `{…,"crc32":"1a2b3c4d"}`. */
const CRC_SUFFIX = /,"crc32":"([0-9a-f]{8})"\}$/;

export function checksum(json: string): string {
  return crc32(json).toString(16).padStart(8, "0");
}

/** The value of a line as written (compacted), or why it is not a record: no checksum, a checksum that does not match, not JSON. */
export function decodeLine(line: string): { value: unknown } | { broken: string } {
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

/** Bytes read from each end of a log by readLogEnds: a run_end record is far smaller. */
const END_PROBE_BYTES = 64 * 1024;

export interface LogEnds {
  /** The first line's record as written (checksum verified, not validated), if it reads as one. */
  first?: Record<string, unknown>;
  /** The last line's record, likewise; absent when the log ends with a torn or damaged line. */
  last?: Record<string, unknown>;
}

/**
 * The first and last records of a run log, read without the rest: which run it is and how it ends
 * (a finished run's log ends with its run_end), in the time of two small reads whatever its size.
 */
export function readLogEnds(path: string): LogEnds {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const record = (line: string | undefined) => {
      const decoded = line === undefined ? undefined : decodeLine(line);
      return decoded && "value" in decoded && typeof decoded.value === "object" && decoded.value !== null
        ? (decoded.value as Record<string, unknown>)
        : undefined;
    };
    // The first line: read until its newline (a run_start of format 2 copied the dataset's conversation list).
    let head = Buffer.alloc(0);
    let newline = -1;
    while (newline < 0 && head.length < size) {
      head = Buffer.concat([head, readBytesAt(fd, head.length, Math.min(END_PROBE_BYTES, size - head.length))]);
      newline = head.indexOf(10);
    }
    const ends: LogEnds = {};
    const first = record(newline < 0 ? undefined : head.subarray(0, newline).toString("utf8"));
    if (first) ends.first = first;
    // The last line: a log whose last byte is not a newline ends with a torn line.
    const tail = readBytesAt(fd, Math.max(0, size - END_PROBE_BYTES), Math.min(size, END_PROBE_BYTES)).toString("utf8");
    const lines = tail.split("\n");
    const complete = tail.endsWith("\n") ? lines.filter((line) => line.trim() !== "") : [];
    const last = record(complete.at(-1)?.replace(/\r$/, ""));
    if (last) ends.last = last;
    return ends;
  } finally {
    closeSync(fd);
  }
}
