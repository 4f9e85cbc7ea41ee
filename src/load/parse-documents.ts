import { LineCounter, parseDocument } from "yaml";
import type { Problem } from "../errors.js";
import { lineColumnAt, locatePath } from "./locate.js";
import type { RecordLocation } from "./validate-record.js";

export interface ParsedRecord {
  value: unknown;
  where: RecordLocation;
}

/** JSON.parse's message without V8's position suffix, plus where it happened. */
function describeJsonSyntaxError(error: unknown, text: string): { message: string; line?: number; column?: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(raw);
  const message = raw
    .replace(/\s*in JSON at position \d+.*$/s, "")
    .replace(/\s*\(line \d+ column \d+\)$/, "")
    .replace(/^JSON\.parse: /, "");
  if (!position) return { message: /end of JSON input/.test(raw) ? "unexpected end of JSON" : message };
  return { message, ...lineColumnAt(text, Number(position[1])) };
}

/** One JSON value per non-blank line. Syntax errors are collected per line; parsing goes on. */
export function parseJsonl(text: string, file: string, problems: Problem[]): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, index) => {
    if (lineText.trim() === "") return;
    const line = index + 1;
    try {
      records.push({ value: JSON.parse(lineText), where: { file, line } });
    } catch (error) {
      const described = describeJsonSyntaxError(error, lineText);
      const column = described.column === undefined ? "" : ` (column ${described.column})`;
      problems.push({ file, line, message: `invalid JSON: ${described.message}${column}` });
    }
  });
  return records;
}

/** A JSON document; schema problems are later located by path. */
export function parseJson(text: string, file: string, problems: Problem[]): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const described = describeJsonSyntaxError(error, text);
    const problem: Problem = { file, message: `invalid JSON: ${described.message}` };
    if (described.line !== undefined) {
      problem.line = described.line;
      problem.message += ` (column ${described.column})`;
    }
    problems.push(problem);
    return undefined;
  }
}

/** A YAML document; syntax errors carry their line. */
export function parseYaml(text: string, file: string, problems: Problem[]): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = lineCounter.linePos(error.pos[0]).line;
      problems.push({ file, line, message: `invalid YAML: ${error.message.split("\n")[0]}` });
    }
    return undefined;
  }
  return doc.toJS();
}

/** Records of a JSON document: the elements of a top-level array, or the document itself. */
export function jsonRecords(value: unknown, text: string, file: string): ParsedRecord[] {
  const locate = (path: ReadonlyArray<PropertyKey>) => locatePath(text, path);
  if (Array.isArray(value)) return value.map((item, i) => ({ value: item, where: { file, locate, prefix: [i] } }));
  return [{ value, where: { file, locate } }];
}
