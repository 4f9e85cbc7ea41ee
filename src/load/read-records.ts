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
