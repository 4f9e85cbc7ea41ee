import type { z } from "zod";
import type { Problem } from "../errors.js";
import { formatPath } from "./locate.js";

export interface RecordLocation {
  file: string;
  /** Line of the record (JSONL), or a function locating a path inside the document (JSON/YAML). */
  line?: number;
  locate?: (path: ReadonlyArray<PropertyKey>) => number | undefined;
  /** Path prefix of the record inside its document, e.g. `[3]` for the fourth element of a JSON array. */
  prefix?: ReadonlyArray<PropertyKey>;
}

/** Describe the value zod rejected, briefly: `got "abc"`, `got 1.4`, `got nothing`. */
function describeReceived(value: unknown): string {
  if (value === undefined) return "got nothing";
  if (value === null) return "got null";
  if (Array.isArray(value)) return "got an array";
  if (typeof value === "object") return "got an object";
  const shown = JSON.stringify(value);
  return `got ${shown.length > 40 ? `${shown.slice(0, 37)}…` : shown}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}, ${describeReceived(valueAt(value, issue.path))}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_union": {
      const discriminator = (issue as { note?: string }).note;
      return discriminator ? `${issue.message} (${discriminator})` : issue.message;
    }
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}, ${describeReceived(valueAt(value, issue.path))}`;
    case "too_small":
    case "too_big":
      return `${issue.message.replace(/^Too (small|big): /, "")}, ${describeReceived(valueAt(value, issue.path))}`;
    default:
      return issue.message;
  }
}

/** Turn zod issues into located problems. */
export function issuesToProblems(issues: z.core.$ZodIssue[], value: unknown, where: RecordLocation): Problem[] {
  return issues.map((issue) => {
    const fullPath = [...(where.prefix ?? []), ...issue.path];
    const line = where.line ?? where.locate?.(fullPath);
    const problem: Problem = { file: where.file, message: issueMessage(issue, value) };
    if (line !== undefined) problem.line = line;
    const path = formatPath(fullPath);
    if (path) problem.path = path;
    return problem;
  });
}

/** Parse one record; returns the data, or undefined after pushing its problems. */
export function validateRecord<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: RecordLocation,
  problems: Problem[],
): z.infer<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push(...issuesToProblems(result.error.issues, value, where));
  return undefined;
}
