import type { z } from "zod";
import type { Problem } from "../errors.js";
import { editDistance } from "../text/tokens.js";
import { safeParse } from "../schema/quick-parse.js";
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
  if (Array.isArray(value)) return value.length === 0 ? "got an empty array" : `got an array of ${value.length}`;
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

/** What a required value should be, when it is missing altogether. */
function missingOr(received: unknown, expected: string): string {
  return received === undefined ? `missing required field: ${expected}` : `${expected}, ${describeReceived(received)}`;
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  const received = valueAt(value, issue.path);
  switch (issue.code) {
    case "invalid_type":
      // A schema's own message for a value of the wrong type (a fraction written "5%") says more than zod's default.
      return issue.message.startsWith("Invalid input")
        ? missingOr(received, `expected ${issue.expected}`)
        : `${issue.message}, ${describeReceived(received)}`;
    case "invalid_union": {
      // A discriminated union whose tag matched no option lists the valid tags.
      const options = (issue as { options?: unknown[] }).options;
      if (options?.length)
        return missingOr(received, `expected one of ${options.map((v) => JSON.stringify(v)).join(" | ")}`);
      // A plain union whose options all rejected the value's type: what each option expects.
      const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
      const expected = branches.flatMap((branch) =>
        branch.flatMap((i) =>
          i.path.length > 0
            ? []
            : i.code === "invalid_value"
              ? i.values.map((v) => JSON.stringify(v))
              : i.code === "invalid_type"
                ? [i.expected]
                : [],
        ),
      );
      if (expected.length > 0) return missingOr(received, `expected ${[...new Set(expected)].join(" | ")}`);
      const discriminator = (issue as { note?: string }).note;
      return discriminator ? `${issue.message} (${discriminator})` : issue.message;
    }
    case "invalid_value":
      return missingOr(received, `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}`);
    case "too_small":
    case "too_big":
      return `${issue.message.replace(/^Too (small|big): /, "")}, ${describeReceived(received)}`;
    default:
      return issue.message;
  }
}

/** The few zod internals needed to list an object's fields: each schema's `_zod.def`. */
interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  options?: unknown[];
  element?: unknown;
  valueType?: unknown;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The schemas a value may be checked against, past wrappers (optional, default, pipe) and union options. */
function concreteSchemas(schema: unknown): unknown[] {
  const def = defOf(schema);
  if (!def) return [];
  if (def.innerType !== undefined) return concreteSchemas(def.innerType);
  if (def.type === "pipe") return concreteSchemas(def.in);
  if (def.type === "union") return (def.options ?? []).flatMap(concreteSchemas);
  return [schema];
}

/** Field names the schema allows for the object at `path`; empty when unknown. */
function knownFields(schema: unknown, path: ReadonlyArray<PropertyKey>): string[] {
  let schemas = concreteSchemas(schema);
  for (const key of path) {
    schemas = schemas.flatMap((s) => {
      const def = defOf(s)!;
      const child =
        def.type === "object"
          ? def.shape?.[String(key)]
          : def.type === "array"
            ? def.element
            : def.type === "record"
              ? def.valueType
              : undefined;
      return concreteSchemas(child);
    });
  }
  return [...new Set(schemas.flatMap((s) => Object.keys(defOf(s)?.shape ?? {})))];
}

/** Fields that were renamed, and what to write instead. */
const RENAMED_FIELDS: Record<string, string> = {
  max_junk_increase_pp:
    'renamed to "max_junk_increase", a fraction like every rate threshold: write 0.05 for 5 percentage points',
  max_entity_resolution_fail_rate:
    'renamed to "max_entity_resolution_fail_increase": the gate checks the candidate − baseline difference, a fraction (0.01 = 1 percentage point)',
};

/** The known field (or name) an unknown one is probably a typo of: the "did you mean" of every loader. */
export function closestField(unknown: string, known: string[]): string | undefined {
  const normalized = unknown.toLowerCase().replace(/-/g, "_");
  let best: { field: string; distance: number } | undefined;
  for (const field of known) {
    const distance = editDistance(normalized, field.toLowerCase());
    if (distance <= Math.max(1, Math.min(3, Math.floor(field.length / 3))) && (!best || distance < best.distance))
      best = { field, distance };
  }
  return best?.field;
}

/**
 * A plain union that matched no option, where one option accepts the value's type (e.g. an
 * object for `"heuristic" | {provider, ...}`): that option's issues, with full paths, say best
 * what is wrong. Otherwise the union's issue itself.
 */
function explainUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  const branches = issue.code === "invalid_union" ? ((issue as { errors?: z.core.$ZodIssue[][] }).errors ?? []) : [];
  const typeMismatch = (i: z.core.$ZodIssue) =>
    i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value" || i.code === "invalid_union");
  const option = branches.find((branch) => branch.length > 0 && !branch.some(typeMismatch));
  if (!option) return [issue];
  return option.flatMap((i) => explainUnion({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

/**
 * Turn zod issues into located problems. With the schema, each unknown field is its own problem
 * at the field's path, with the field it is probably a typo of; the "missing" problem of that
 * field is then dropped, as the typo explains it.
 */
export function issuesToProblems(
  issues: z.core.$ZodIssue[],
  value: unknown,
  where: RecordLocation,
  schema?: z.ZodType,
): Problem[] {
  const located: Array<{ path: PropertyKey[]; message: string; missing?: boolean }> = [];
  const explained = new Set<string>();
  for (const issue of issues.flatMap(explainUnion)) {
    if (issue.code !== "unrecognized_keys") {
      located.push({
        path: issue.path,
        message: issueMessage(issue, value),
        missing: valueAt(value, issue.path) === undefined,
      });
      continue;
    }
    const known = schema ? knownFields(schema, issue.path) : [];
    for (const key of issue.keys) {
      const renamed = RENAMED_FIELDS[key];
      if (renamed) {
        located.push({ path: [...issue.path, key], message: `unknown field: ${renamed}` });
        continue;
      }
      const suggestion = closestField(
        key,
        known.filter((field) => !issue.keys.includes(field)),
      );
      if (suggestion && valueAt(value, [...issue.path, suggestion]) === undefined)
        explained.add(formatPath([...issue.path, suggestion]));
      const expected = suggestion
        ? `; did you mean "${suggestion}"?`
        : known.length > 0
          ? `; expected one of: ${known.join(", ")}`
          : "";
      located.push({ path: [...issue.path, key], message: `unknown field${expected}` });
    }
  }
  return located
    .filter((item) => !(item.missing && explained.has(formatPath(item.path))))
    .map((item) => {
      const fullPath = [...(where.prefix ?? []), ...item.path];
      const line = where.line ?? where.locate?.(fullPath);
      const problem: Problem = { file: where.file, message: item.message };
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
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  problems.push(...issuesToProblems(result.error.issues, value, where, schema));
  return undefined;
}
