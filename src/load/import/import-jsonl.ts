import { throwIfProblems, type Problem } from "../../errors.js";
import type { ColumnMapping, MappedField } from "../../schema/curation.js";
import { parseJsonl } from "../parse-documents.js";
import { readText } from "../read-text.js";
import { assembleTurns, type SourceRow } from "./assemble-turns.js";
import type { ImportResult } from "./import-result.js";

export interface JsonlImportOptions {
  columns: ColumnMapping;
  /**
   * Dotted path of each record's array of turns, when a record is a whole conversation
   * (`messages`). Default: each record is one turn.
   */
  turns?: string;
}

/** Fields read from the conversation record rather than from each turn, in the nested layout. */
const CONVERSATION_FIELDS = new Set<MappedField>(["conversation_id", "namespace", "entities"]);

/** The value at a dotted path (`author.name`, `messages.0.text`) as text; undefined when absent, blank or not a scalar. */
export function valueAtPath(record: unknown, path: string): string | undefined {
  let node: unknown = record;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (Array.isArray(node)) node = node.filter((v) => typeof v === "string" || typeof v === "number").join(",");
  if (typeof node !== "string" && typeof node !== "number" && typeof node !== "boolean") return undefined;
  const text = String(node).trim();
  return text === "" ? undefined : text;
}

/**
 * Turns from JSONL in another layout, with a field mapping: one turn per record, or one
 * conversation per record with its turns under `turns`. Same rules as the CSV importer.
 */
export function importJsonl(file: string, options: JsonlImportOptions): ImportResult {
  const problems: Problem[] = [];
  const records = parseJsonl(readText(file), file, problems);
  if (records.length === 0 && problems.length === 0) problems.push({ file, message: "file holds no records" });
  throwIfProblems(problems);
  const pathOf = (field: MappedField) => options.columns[field] ?? field;
  const rows: SourceRow[] = [];
  for (const { value, where } of records) {
    const line = where.line!;
    if (options.turns === undefined) {
      rows.push({ file, line, get: (field) => valueAtPath(value, pathOf(field)) });
      continue;
    }
    let turns: unknown = value;
    for (const key of options.turns.split("."))
      turns = turns !== null && typeof turns === "object" ? (turns as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(turns)) {
      problems.push({ file, line, path: options.turns, message: "expected an array of turns" });
      continue;
    }
    for (const turn of turns) {
      rows.push({
        file,
        line,
        get: (field) => valueAtPath(CONVERSATION_FIELDS.has(field) ? value : turn, pathOf(field)),
      });
    }
  }
  const result = assembleTurns(rows, problems);
  throwIfProblems(problems);
  return result;
}
