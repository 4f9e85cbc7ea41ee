import { LineCounter, parseDocument } from "yaml";
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

/** A YAML document; syntax errors carry their line. */
export function parseYaml(text: string, file: string, problems: Problem[]): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
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
      problems.push({ file, message: `invalid YAML: its aliases expand past ${MAX_YAML_ALIASES} copies (a resource-exhaustion document); write the values out` });
      return undefined;
    }
    throw error;
  }
}

/** Alias expansions a config may use: plenty for anchors that share a block, far short of a bomb. */
export const MAX_YAML_ALIASES = 100;
