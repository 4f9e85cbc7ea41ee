import { parse } from "csv-parse/sync";
import type { Problem } from "../../errors.js";
import { throwIfProblems } from "../../errors.js";
import type { ColumnMapping, MappedField } from "../../schema/curation.js";
import { readText } from "../read-text.js";
import { assembleTurns, type SourceRow } from "./assemble-turns.js";
import type { ImportResult } from "./import-result.js";

export interface CsvImportOptions {
  columns: ColumnMapping;
  /** Field delimiter. Default `,`. */
  delimiter?: string;
}

/** Fields every turn needs; the others are optional. */
const REQUIRED: MappedField[] = ["conversation_id", "speaker", "text"];

interface ParsedRow {
  record: Record<string, string>;
  info: { lines: number };
  raw: string;
}

/** The line a record starts on: csv-parse reports the line it ends on, and a quoted field may span several. */
function firstLine(row: ParsedRow): number {
  const inner = row.raw.replace(/\r?\n$/, "");
  return row.info.lines - (inner.match(/\n/g)?.length ?? 0);
}

/** Which header each mapped field reads; a header named in the mapping must exist. */
function resolveColumns(
  header: string[],
  mapping: ColumnMapping,
  file: string,
  problems: Problem[],
): Map<MappedField, string> {
  const resolved = new Map<MappedField, string>();
  const fields = new Set<MappedField>([...REQUIRED, ...(Object.keys(mapping) as MappedField[])]);
  for (const field of [
    "turn_id",
    "role",
    "timestamp",
    "namespace",
    "entities",
    "memory",
    "memory_type",
    "memory_subject",
    "memory_predicate",
    "memory_object",
    "memory_evidence",
  ] as MappedField[]) {
    if (header.includes(field)) fields.add(field);
  }
  for (const field of fields) {
    const name = mapping[field] ?? field;
    if (header.includes(name)) resolved.set(field, name);
    else if (REQUIRED.includes(field) || mapping[field] !== undefined) {
      problems.push({
        file,
        line: 1,
        message: `no column "${name}" for ${field} (the header has: ${header.join(", ")})`,
      });
    }
  }
  return resolved;
}

/**
 * Turns from a CSV export, one row per turn, with a header row. Quoted fields, embedded newlines,
 * other delimiters and a byte-order mark are handled by csv-parse; every bad row is reported with
 * its line number and nothing is imported when there is one.
 */
export function importCsv(file: string, options: CsvImportOptions): ImportResult {
  const text = readText(file);
  const problems: Problem[] = [];
  let header: string[] = [];
  const rows = parse(text, {
    bom: true,
    delimiter: options.delimiter ?? ",",
    columns: (names: string[]) => {
      header = names.map((name) => name.trim());
      return header;
    },
    info: true,
    raw: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return;
      const line = (error as unknown as { lines?: number }).lines;
      problems.push({
        file,
        ...(line === undefined ? {} : { line }),
        message: error.message.replace(/,? (?:on|at) line \d+$/, ""),
      });
    },
  }) as unknown as ParsedRow[];
  // Without a usable header no row can be read: report that alone.
  const headerProblems: Problem[] =
    header.length === 0 ? [{ file, message: "file is empty: expected a header row" }] : [];
  const columns = resolveColumns(header, options.columns, file, headerProblems);
  throwIfProblems(headerProblems);
  const sourceRows = rows.map(
    (row): SourceRow => ({
      file,
      line: firstLine(row),
      get: (field) => {
        const name = columns.get(field);
        const value = name === undefined ? undefined : row.record[name]?.trim();
        return value === "" ? undefined : value;
      },
    }),
  );
  const result = assembleTurns(sourceRows, problems);
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  throwIfProblems(problems);
  return result;
}
