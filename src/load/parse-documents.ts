import type { Problem } from "../errors.js";
import { lineColumnAt, locatePath } from "./locate.js";
import type { RecordLocation } from "./validate-record.js";

export interface ParsedRecord {
  value: unknown;
  where: RecordLocation;
}

/**
 * Offset of the first JSON syntax error, or undefined when the text is valid JSON. V8 on Node 20
 * names no position for "Unexpected token" errors; this finds it.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const skipSpace = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  /** Consume `expected` at the cursor; false (cursor left on the offender) when it is not there. */
  const take = (expected: string): boolean => {
    if (text[i] !== expected) return false;
    i++;
    return true;
  };
  const string = (): boolean => {
    if (!take('"')) return false;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return take('"');
      if (c < " ") return false;
      if (c !== "\\") i++;
      else if (/["\\/bfnrt]/.test(text[i + 1] ?? "")) i += 2;
      else if (/^u[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 6))) i += 6;
      else {
        i++;
        return false;
      }
    }
    return false;
  };
  const collection = (open: "{" | "[", close: "}" | "]"): boolean => {
    take(open);
    skipSpace();
    if (take(close)) return true;
    for (;;) {
      skipSpace();
      if (open === "{") {
        if (!string()) return false;
        skipSpace();
        if (!take(":")) return false;
      }
      if (!value()) return false;
      skipSpace();
      if (take(close)) return true;
      if (!take(",")) return false;
    }
  };
  const value = (): boolean => {
    skipSpace();
    const c = text[i];
    if (c === "{") return collection("{", "}");
    if (c === "[") return collection("[", "]");
    if (c === '"') return string();
    literal.lastIndex = i;
    const match = literal.exec(text);
    if (!match) return false;
    i += match[0].length;
    return true;
  };
  if (!value()) return i;
  skipSpace();
  return i < text.length ? i : undefined;
}

/** An invisible character (BOM, control, zero-width) shown by its code point, not raw. */
function showInvisible(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u2028\u2029\ufeff]/g, (c) =>
    c === "\ufeff" ? "U+FEFF (byte-order mark)" : `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}

/**
 * JSON.parse's message without V8's position and source excerpt, with the column, plus the line.
 * `unit` is what `text` is: one JSONL line, or a whole JSON file.
 */
function describeJsonSyntaxError(
  error: unknown,
  text: string,
  unit: "line" | "file",
): { message: string; line: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const reported = /at position (\d+)/.exec(raw);
  const offset = reported ? Number(reported[1]) : jsonErrorOffset(text);
  const detail = raw
    .replace(/\s*(?:in JSON )?at position \d+.*$/s, "")
    .replace(/^(Unexpected token '.*?'), (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "$1")
    .replace(/^JSON\.parse: /, "")
    .replace(/^\w/, (c) => c.toLowerCase());
  const end = text.replace(/[ \t\n\r]+$/, "").length;
  if (offset === undefined || offset >= end || /end of JSON input/.test(raw)) {
    // The text stops mid-value: point just after its last character.
    const expected = /^expected /.test(detail) ? `: ${detail}` : "";
    const { line, column } = lineColumnAt(text, end);
    // A JSONL line ending on an opener or a comma is most likely pretty-printed JSON.
    const hint =
      unit === "file"
        ? "; is the file truncated?"
        : /[[{,:]$/.test(text.slice(0, end))
          ? "; a JSONL record must fit on one line"
          : "";
    return { message: `unexpected end of ${unit}${expected} (column ${column})${hint}`, line };
  }
  const { line, column } = lineColumnAt(text, offset);
  return { message: `${showInvisible(detail)} (column ${column})`, line };
}

/** One JSON value per non-blank line. Syntax errors are collected per line; parsing goes on. */
export function parseJsonl(text: string, file: string, problems: Problem[]): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, index) => {
    const record = parseJsonlLine(lineText, file, index + 1, problems);
    if (record) records.push(record);
  });
  return records;
}

/** One JSONL line: its value, nothing for a blank line, or a syntax problem naming the line and column. */
export function parseJsonlLine(
  lineText: string,
  file: string,
  line: number,
  problems: Problem[],
): ParsedRecord | undefined {
  if (lineText.trim() === "") return undefined;
  try {
    return { value: JSON.parse(lineText), where: { file, line } };
  } catch (error) {
    const described = describeJsonSyntaxError(error, lineText, "line");
    problems.push({ file, line, message: `invalid JSON: ${described.message}` });
    return undefined;
  }
}

/** A JSON document; schema problems are later located by path. */
export function parseJson(text: string, file: string, problems: Problem[]): unknown {
  if (/^[ \t\n\r]*$/.test(text)) {
    problems.push({ file, message: "file is empty: expected a JSON array or object" });
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const described = describeJsonSyntaxError(error, text, "file");
    problems.push({ file, line: described.line, message: `invalid JSON: ${described.message}` });
    return undefined;
  }
}

/** Records of a JSON document: the elements of a top-level array, or the document itself. */
export function jsonRecords(value: unknown, text: string, file: string): ParsedRecord[] {
  const locate = (path: ReadonlyArray<PropertyKey>) => locatePath(text, path);
  if (Array.isArray(value)) return value.map((item, i) => ({ value: item, where: { file, locate, prefix: [i] } }));
  return [{ value, where: { file, locate } }];
}
