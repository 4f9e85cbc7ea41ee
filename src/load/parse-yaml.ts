import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { Problem } from "../errors.js";

/**
 * Where a YAML syntax error really is. The parser flags an unclosed `[` or `{` where it gives up
 * (the next key, or past the end of the file): point at the unmatched opener instead. Any other
 * error at the very end points at the last line with content.
 */
function yamlErrorOffset(text: string, offset: number, message: string): number {
  const flow = /^Flow (sequence|map) in block collection/.exec(message);
  if (flow) {
    const [open, close] = flow[1] === "sequence" ? ["[", "]"] : ["{", "}"];
    let depth = 0;
    for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
      if (text[i] === close) depth++;
      else if (text[i] === open && depth-- === 0) return i;
    }
  }
  return Math.min(offset, Math.max(0, text.trimEnd().length - 1));
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isContent = (line: string | undefined) =>
  line !== undefined && line.trim() !== "" && !line.trimStart().startsWith("#");

/**
 * The line a mis-indented document goes wrong on, when its first error is one of indentation, with
 * what is wrong with it. The parser reports a line indented deeper than the one above it at that
 * line's value ("Nested mappings are not allowed in compact mappings"), and a line indented less than
 * its siblings at the line itself ("All mapping items must start at the same column"); either way
 * the errors after it only follow from it.
 */
function misindentedLine(
  lines: string[],
  error: YAMLError,
  lineCounter: LineCounter,
): { line: number; reason: string } | undefined {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const text = lines[line - 1] ?? "";
  const siblings =
    error.code === "BAD_INDENT"
      ? /^All (mapping|sequence) items must start at the same column/.exec(error.message)
      : null;
  if (siblings) {
    // Reported where the blank lines and comments before the item start: the item is the next line with content.
    const item = lines.findIndex((candidate, index) => index >= line - 1 && isContent(candidate));
    const reason =
      siblings[1] === "mapping"
        ? "the keys of one mapping must start at the same column"
        : "the items of one list must start at the same column";
    return { line: item < 0 ? line : item + 1, reason };
  }
  if (error.code !== "BLOCK_AS_IMPLICIT_KEY" && error.code !== "MULTILINE_IMPLICIT_KEY") return undefined;
  if (col <= indentOf(text) + 1)
    return { line, reason: "the items of one list or mapping must start at the same column" };
  const next = lines.findIndex((candidate, index) => index >= line && isContent(candidate));
  if (next < 0 || indentOf(lines[next]!) <= indentOf(text)) return undefined;
  return { line: next + 1, reason: `it is indented deeper than line ${line}, whose value is already given` };
}

/** A YAML document; syntax errors carry their line. */
export function parseYaml(text: string, file: string, problems: Problem[]): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0]!;
    const misindented = misindentedLine(text.split(/\r?\n/), first, lineCounter);
    if (misindented) {
      problems.push({
        file,
        line: misindented.line,
        message: `invalid YAML: check the indentation of line ${misindented.line} (${misindented.reason})`,
      });
      return undefined;
    }
    for (const error of doc.errors) {
      const message = error.message.split("\n")[0]!;
      const line = lineCounter.linePos(yamlErrorOffset(text, error.pos[0], message)).line;
      problems.push({ file, line, message: `invalid YAML: ${message}` });
    }
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // The yaml library refuses documents whose aliases expand without bound ("billion laughs").
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      problems.push({
        file,
        message: `invalid YAML: its aliases expand past ${MAX_YAML_ALIASES} copies (a resource-exhaustion document); write the values out`,
      });
      return undefined;
    }
    throw error;
  }
}

/** Alias expansions a config may use: plenty for anchors that share a block, far short of a bomb. */
export const MAX_YAML_ALIASES = 100;
