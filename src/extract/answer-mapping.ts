import { ANSWER_FIELDS, type AnswerMapping } from "../schema/custom-prompt.js";

/**
 * The team's answer has no list where `answer.memories` says: the answer does not match its contract,
 * like invalid JSON (asked for once more, then counted in `json_failures`).
 */
export class AnswerShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnswerShapeError";
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The value at a dotted path (`result.items`); `.` is the value itself. */
function valueAt(value: unknown, path: string): unknown {
  if (path === ".") return value;
  let node = value;
  for (const key of path.split(".")) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) {
    const keys = Object.keys(value);
    return keys.length === 0
      ? "an empty object"
      : `an object with keys ${keys.slice(0, 8).join(", ")}${keys.length > 8 ? ", …" : ""}`;
  }
  return `a ${typeof value}`;
}

/** Evidence as a list: a comma-separated string is split, a lone id wrapped; strings lose the prefix, numbers stay numbers. */
function evidenceList(value: unknown, prefix: string | undefined): unknown {
  if (value === undefined || value === null) return value;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    if (typeof item !== "string") return [item];
    return item
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "")
      .map((id) => (prefix && id.startsWith(prefix) ? id.slice(prefix.length) : id));
  });
}

function mapMemory(item: unknown, mapping: AnswerMapping): unknown {
  // Not an object: left as found, so validation names it (`memories[2]: expected object`).
  if (!isRecord(item)) return item;
  const memory: Record<string, unknown> = {};
  for (const field of ANSWER_FIELDS) {
    let value = valueAt(item, mapping.fields[field] ?? field);
    if (field === "evidence") value = evidenceList(value, mapping.evidence_prefix);
    if ((value === undefined || value === null) && (field === "type" || field === "confidence"))
      value = mapping.defaults[field] ?? value;
    if (value !== undefined) memory[field] = value;
  }
  return memory;
}

/**
 * A team's parsed answer in the bench's shape, `{memories: [{text, type, subject, predicate, object,
 * confidence, evidence}]}`. Values stay as found (the caller's parser converts and counts); only
 * evidence is reshaped into a list and `defaults` fill a missing type or confidence. Keys the mapping
 * does not name are dropped. Throws AnswerShapeError when there is no list at `mapping.memories`.
 */
export function mapAnswer(value: unknown, mapping: AnswerMapping): { memories: unknown[] } {
  const list = valueAt(value, mapping.memories);
  if (Array.isArray(list)) return { memories: list.map((item) => mapMemory(item, mapping)) };
  if (mapping.memories === ".") throw new AnswerShapeError(`the answer is not a list: found ${describe(value)}`);
  const found = list === undefined ? `the answer is ${describe(value)}` : `found ${describe(list)} there`;
  throw new AnswerShapeError(`no list at "${mapping.memories}" in the answer: ${found}`);
}
