import { closeSync, existsSync, readdirSync } from "node:fs";
import { extname, join } from "node:path";
import type { z } from "zod";
import { InputError, type Problem } from "../errors.js";
import { forEachLine, openRegular, readBytesAt, type OpenFiles } from "./line-reader.js";
import { jsonRecords, parseJson, parseJsonlLine } from "./parse-documents.js";
import { isDirectory, readText } from "./read-text.js";
import { validateRecord, type RecordLocation } from "./validate-record.js";

export interface Located<T> {
  value: T;
  where: RecordLocation;
}

const RECORD_EXTENSIONS = new Set([".jsonl", ".json"]);

/** A record file, or every .jsonl/.json file of a folder in name order. */
export function recordFiles(path: string, problems: Problem[]): string[] {
  if (!isDirectory(path)) return [path];
  const files = readdirSync(path)
    .filter((name) => RECORD_EXTENSIONS.has(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(path, name));
  if (files.length === 0) problems.push({ file: path, message: "folder holds no .jsonl or .json file" });
  return files;
}

/**
 * Read and validate records from JSONL (one per line) or JSON (an array, or one object).
 * Every problem is collected; records that fail validation are left out.
 */
export function readRecords<S extends z.ZodType>(path: string, schema: S, problems: Problem[]): Located<z.infer<S>>[] {
  const out: Located<z.infer<S>>[] = [];
  streamRecords(path, schema, problems, (value, where) => out.push({ value, where }));
  return out;
}

/** Where a record can be read again: a line of a JSONL file (by byte range), or a value held in memory (JSON files). */
export type RecordRef = { file: string; offset: number; bytes: number } | { value: unknown };

/**
 * Stream and validate records from JSONL (line by line, constant memory) or JSON (read whole: an
 * array, or one object), handing each valid one to `onRecord` with where it came from. Every
 * problem is collected; records that fail validation are left out.
 */
export function streamRecords<S extends z.ZodType>(
  path: string,
  schema: S,
  problems: Problem[],
  onRecord: (value: z.infer<S>, where: RecordLocation, ref: RecordRef) => void,
): void {
  for (const file of recordFiles(path, problems)) {
    if (!existsSync(file)) throw new InputError([{ file, message: "no such file or folder" }]);
    const extension = extname(file).toLowerCase();
    const before = problems.length;
    let records = 0;
    if (extension === ".json") {
      const text = readText(file);
      const value = parseJson(text, file, problems);
      for (const record of value === undefined ? [] : jsonRecords(value, text, file)) {
        records++;
        const valid = validateRecord(schema, record.value, record.where, problems);
        if (valid !== undefined) onRecord(valid, record.where, { value: valid });
      }
    } else if (extension === ".jsonl") {
      forEachLine(file, (line, at) => {
        const record = parseJsonlLine(line, file, at.line, problems);
        if (!record) return;
        records++;
        const valid = validateRecord(schema, record.value, record.where, problems);
        if (valid !== undefined) onRecord(valid, record.where, { file, offset: at.offset, bytes: at.bytes });
      });
    } else {
      problems.push({ file, message: `unsupported file type "${extension || "(none)"}": expected .jsonl or .json` });
      continue;
    }
    if (records === 0 && problems.length === before) problems.push({ file, message: "file holds no records" });
  }
}

/** The line of a located record, or of a path inside it. */
export function lineOf(where: RecordLocation, path: ReadonlyArray<PropertyKey> = []): number | undefined {
  return where.line ?? where.locate?.([...(where.prefix ?? []), ...path]);
}

/** Records this close together in a file are read back with one read (see reloadRecords). */
const NEAR_BYTES = 4096;

/**
 * Read records again from where they were streamed, each parsed with its (already passed) schema:
 * records that lie near each other in a file (a conversation's golden memories, written together)
 * come back with one read rather than one each. With `files`, the files stay open for the next read.
 */
export function reloadRecords<T>(refs: RecordRef[], parse: (value: unknown) => T, files?: OpenFiles): T[] {
  const out: T[] = [];
  for (let i = 0; i < refs.length; ) {
    const first = refs[i]!;
    if ("value" in first) {
      out.push(first.value as T);
      i++;
      continue;
    }
    // The run of records after this one, each in the same file and starting a little after the last ends.
    let end = i + 1;
    let last = first;
    for (; end < refs.length; end++) {
      const next = refs[end]!;
      if ("value" in next || next.file !== first.file) break;
      const gap = next.offset - (last.offset + last.bytes);
      if (gap < 0 || gap > NEAR_BYTES) break;
      last = next;
    }
    if (end === i + 1) {
      out.push(reloadRecord(first, parse, files));
      i++;
      continue;
    }
    const fd = files ? files.fd(first.file) : openRegular(first.file);
    try {
      const span = readBytesAt(fd, first.offset, last.offset + last.bytes - first.offset);
      for (; i < end; i++) {
        const ref = refs[i] as { offset: number; bytes: number };
        const from = ref.offset - first.offset;
        out.push(parse(JSON.parse(span.toString("utf8", from, from + ref.bytes))));
      }
    } finally {
      if (!files) closeSync(fd);
    }
  }
  return out;
}

/**
 * Read a record again from where it was streamed, and parse it with its (already passed) schema.
 * With `files`, the file stays open for the next read.
 */
export function reloadRecord<T>(ref: RecordRef, parse: (value: unknown) => T, files?: OpenFiles): T {
  if ("value" in ref) return ref.value as T;
  const fd = files ? files.fd(ref.file) : openRegular(ref.file);
  try {
    return parse(JSON.parse(readBytesAt(fd, ref.offset, ref.bytes).toString("utf8")));
  } finally {
    if (!files) closeSync(fd);
  }
}
