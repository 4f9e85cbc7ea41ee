import { readdirSync } from "node:fs";
import { extname, join } from "node:path";
import type { z } from "zod";
import type { Problem } from "../errors.js";
import { jsonRecords, parseJson, parseJsonl } from "./parse-documents.js";
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
  for (const file of recordFiles(path, problems)) {
    const text = readText(file);
    const extension = extname(file).toLowerCase();
    let parsed;
    if (extension === ".json") {
      const value = parseJson(text, file, problems);
      parsed = value === undefined ? [] : jsonRecords(value, text, file);
    } else if (extension === ".jsonl") {
      parsed = parseJsonl(text, file, problems);
    } else {
      problems.push({ file, message: `unsupported file type "${extension || "(none)"}": expected .jsonl or .json` });
      continue;
    }
    if (parsed.length === 0 && !problems.some((p) => p.file === file)) {
      problems.push({ file, message: "file holds no records" });
    }
    for (const record of parsed) {
      const value = validateRecord(schema, record.value, record.where, problems);
      if (value !== undefined) out.push({ value, where: record.where });
    }
  }
  return out;
}

/** The line of a located record, or of a path inside it. */
export function lineOf(where: RecordLocation, path: ReadonlyArray<PropertyKey> = []): number | undefined {
  return where.line ?? where.locate?.([...(where.prefix ?? []), ...path]);
}
