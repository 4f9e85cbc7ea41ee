import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq } from "yaml";

/** Control characters (a newline, an escape): a field name holding one is data, not a line to start. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Render a zod-style path (`["turns", 2, "id"]`) as `turns[2].id`. A field name with a control
 * character in it is quoted with JSON escapes (`["a\nb"]`), so an unknown field's name cannot break
 * the problem's line in two.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (CONTROL.test(String(key))) out += `[${JSON.stringify(String(key))}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * The 1-based line of the deepest part of `path` that exists in a YAML or JSON document
 * (JSON is YAML 1.2, so one locator serves both): the key's line for a mapping entry, so a
 * block value (`buckets:` then `- 0` lines) points at its key; the item's line for a sequence
 * item. Undefined when the text does not parse.
 */
export function locatePath(text: string, path: ReadonlyArray<PropertyKey>): number | undefined {
  const lineCounter = new LineCounter();
  // JSON.parse keeps the last of repeated keys; tolerate them here too and locate that last one.
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const lineOf = (node: unknown) => (isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined);
  let node: unknown = doc.contents;
  let line = lineOf(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.findLast(
        (item) => String(isScalar(item.key) ? item.key.value : item.key) === String(key),
      );
      if (!pair) break;
      line = lineOf(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      const itemLine = lineOf(node);
      if (itemLine === undefined) break;
      line = itemLine;
    } else {
      break;
    }
  }
  return line;
}

export { lineColumnAt } from "./line-column.js";
