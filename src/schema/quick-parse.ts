import type { z } from "zod";

/**
 * A schema read ahead of zod, for the values read most often: dataset and golden records, model
 * answers. zod's parse is general (issue lists, async checks, a code generator it runs on a
 * schema's first use) and a run reads each record once or twice, so that first use is most of what
 * it costs. A quick reader is built once per schema from the schema's own definition (its
 * `_zod.def`, as zod's JSON Schema export reads it) for the kinds of schema the records use:
 * objects, arrays, strings, numbers, booleans, enums, literals, optional, nullable, default,
 * records and unknown, with the schema's own checks (lengths, bounds, trims, refinements) run in
 * zod's order: the common ones pass the values they surely pass, and zod's own check decides the
 * rest. It returns what zod would, or says it is not sure: a value with any problem, or a schema
 * with any other kind of part, goes to zod, whose answer (and error) is then the one given. A test
 * reads thousands of variants of real records both ways and holds the two to the same value.
 */
const UNSURE: unique symbol = Symbol("unsure");
type Reader = (value: unknown) => unknown;

/** The parts of zod's internals a reader is built from. */
interface Check {
  _zod: { def: { when?: (payload: Payload) => boolean }; check: (payload: Payload) => unknown };
}
interface Def {
  type: string;
  checks?: Check[];
  coerce?: boolean;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  innerType?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  mode?: string;
  readonly defaultValue?: unknown;
}
interface Schema {
  _zod: { def: Def; traits: Set<string>; optin?: string; optout?: string; values?: Set<unknown> };
}
interface Payload {
  value: unknown;
  issues: unknown[];
}

const readers = new WeakMap<object, Reader | null>();

function readerOf(schema: Schema): Reader | null {
  let reader = readers.get(schema);
  if (reader === undefined) {
    // A schema that refers to itself (z.lazy) is not read quickly: its kind is not among those above.
    readers.set(schema, null);
    reader = build(schema);
    readers.set(schema, reader);
  }
  return reader;
}

/** The reader of a schema without its checks, or null when the schema has a kind it does not know. */
function parserOf(schema: Schema): Reader | null {
  const def = schema._zod.def;
  if (def.coerce) return null;
  switch (def.type) {
    case "string":
      return (value) => (typeof value === "string" ? value : UNSURE);
    case "number":
      return (value) => (typeof value === "number" && Number.isFinite(value) ? value : UNSURE);
    case "boolean":
      return (value) => (typeof value === "boolean" ? value : UNSURE);
    case "unknown":
    case "any":
      return (value) => value;
    case "enum":
    case "literal": {
      // The values zod itself accepts (an enum of a TypeScript enum object leaves its reverse names out).
      const allowed = schema._zod.values;
      if (!(allowed instanceof Set)) return null;
      return (value) => (allowed.has(value) ? value : UNSURE);
    }
    case "nullable": {
      const inner = readerOf(def.innerType!);
      return inner && ((value) => (value === null ? null : inner(value)));
    }
    case "optional": {
      const inner = readerOf(def.innerType!);
      // An optional over a default (which zod fills in for an absent value) is left to zod.
      if (!inner || def.innerType!._zod.optin === "defaulted") return null;
      return (value) => (value === undefined ? undefined : inner(value));
    }
    case "default": {
      const inner = readerOf(def.innerType!);
      if (!inner) return null;
      // The default as zod gives it (a copy of the value written), not checked; also for an inner that reads to undefined.
      return (value) => {
        const read = value === undefined ? undefined : inner(value);
        return read === undefined ? def.defaultValue : read;
      };
    }
    case "array":
      return arrayReader(def);
    case "object":
      return objectReader(def);
    case "record":
      return recordReader(def);
    default:
      return null;
  }
}

function arrayReader(def: Def): Reader | null {
  const element = readerOf(def.element!);
  if (!element) return null;
  return (value) => {
    if (!Array.isArray(value)) return UNSURE;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = element(value[i]);
      if (item === UNSURE) return UNSURE;
      out[i] = item;
    }
    return out;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function objectReader(def: Def): Reader | null {
  const shape = def.shape ?? {};
  if (Object.getOwnPropertySymbols(shape).length > 0) return null;
  const fields: Array<{ key: string; read: Reader; optional: boolean; defaulted: boolean }> = [];
  for (const key of Object.keys(shape)) {
    if (key === "__proto__") return null;
    const field = shape[key]!;
    const read = readerOf(field);
    if (!read) return null;
    const { optin, optout } = field._zod;
    // A field that may be absent either way (optional in and out) or filled in (a default); others are required.
    if (optin !== undefined && optin !== "optional" && optin !== "defaulted") return null;
    if (optin === "optional" && optout !== "optional") return null;
    fields.push({ key, read, optional: optin === "optional", defaulted: optin === "defaulted" });
  }
  const known = new Set(fields.map((field) => field.key));
  // No catchall: unknown keys are dropped; a `never` catchall (strict) refuses them; another reads them.
  const catchallType = def.catchall?._zod.def.type;
  const strict = catchallType === "never";
  const rest = def.catchall && !strict ? readerOf(def.catchall) : undefined;
  if (rest === null) return null;
  return (value) => {
    if (!isPlainObject(value)) return UNSURE;
    const out: Record<string, unknown> = {};
    let present = 0;
    for (const field of fields) {
      const given = value[field.key];
      if (given === undefined) {
        // A key written as undefined is not something JSON holds: zod decides it.
        if (field.key in value) return UNSURE;
        if (field.defaulted) {
          const filled = field.read(undefined);
          if (filled === UNSURE) return UNSURE;
          out[field.key] = filled;
        } else if (!field.optional) return UNSURE;
        continue;
      }
      present++;
      const read = field.read(given);
      if (read === UNSURE || read === undefined) return UNSURE;
      out[field.key] = read;
    }
    if (strict || rest) {
      const keys = Object.keys(value);
      if (strict) return keys.length === present ? out : UNSURE;
      for (const key of keys) {
        if (known.has(key)) continue;
        if (key === "__proto__") return UNSURE;
        const read = rest!(value[key]);
        if (read === UNSURE || read === undefined) return UNSURE;
        out[key] = read;
      }
    }
    return out;
  };
}

/** Records keyed by any string, as zod copies them; other key schemas are left to zod. */
function recordReader(def: Def): Reader | null {
  const keyDef = def.keyType?._zod.def;
  if (keyDef?.type !== "string" || keyDef.checks?.length || def.mode === "loose") return null;
  const read = readerOf(def.valueType!);
  if (!read) return null;
  return (value) => {
    if (!isPlainObject(value)) return UNSURE;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === "__proto__") return UNSURE;
      const item = read(value[key]);
      if (item === UNSURE || item === undefined) return UNSURE;
      out[key] = item;
    }
    return out;
  };
}

/** One check of a schema, run on the value read so far: the value it leaves, or unsure. */
type CheckStep = (value: unknown) => unknown;

/** A check run as zod runs it: skipped when its `when` says so, failed by any issue it raises. */
function zodCheck(check: Check): CheckStep {
  return (value) => {
    const payload: Payload = { value, issues: [] };
    const when = check._zod.def.when;
    if (when && !when(payload)) return value;
    if (check._zod.check(payload) instanceof Promise || payload.issues.length > 0) return UNSURE;
    return payload.value;
  };
}

/**
 * A check as a step: the common ones pass the values they surely pass without zod's machinery
 * (a payload, an issue list, its `when`), and leave any other value to zod's own check, which then
 * decides it; every other check is zod's.
 */
function checkStep(check: Check): CheckStep {
  const asZod = zodCheck(check);
  const def = check._zod.def as Check["_zod"]["def"] & {
    check?: string;
    minimum?: number;
    maximum?: number;
    value?: unknown;
    inclusive?: boolean;
    format?: string;
    tx?: (value: unknown) => unknown;
  };
  switch (def.check) {
    // zod counts a string's length in code points, one or two units each: twice the minimum in units
    // always clears it, a maximum in units always fits.
    case "min_length": {
      const twice = 2 * def.minimum!;
      return (value) => ((value as { length: number }).length >= twice ? value : asZod(value));
    }
    case "max_length": {
      const maximum = def.maximum!;
      return (value) => ((value as { length: number }).length <= maximum ? value : asZod(value));
    }
    case "greater_than": {
      if (typeof def.value !== "number") return asZod;
      const bound = def.value;
      return def.inclusive
        ? (value) => ((value as number) >= bound ? value : asZod(value))
        : (value) => ((value as number) > bound ? value : asZod(value));
    }
    case "less_than": {
      if (typeof def.value !== "number") return asZod;
      const bound = def.value;
      return def.inclusive
        ? (value) => ((value as number) <= bound ? value : asZod(value))
        : (value) => ((value as number) < bound ? value : asZod(value));
    }
    case "number_format":
      return def.format === "safeint" ? (value) => (Number.isSafeInteger(value) ? value : asZod(value)) : asZod;
    case "overwrite": {
      const tx = def.tx;
      return tx && !def.when ? (value) => tx(value) : asZod;
    }
    default:
      return asZod;
  }
}

/** The schema's reader with its checks run after it, in order, as zod runs them; any issue makes it unsure. */
function build(schema: Schema): Reader | null {
  const parse = parserOf(schema);
  if (!parse) return null;
  const checks: Check[] = [
    ...(schema._zod.traits.has("$ZodCheck") ? [schema as unknown as Check] : []),
    ...(schema._zod.def.checks ?? []),
  ];
  if (checks.length === 0) return parse;
  const steps = checks.map(checkStep);
  if (steps.length === 1) {
    const [step] = steps as [CheckStep];
    return (value) => {
      const parsed = parse(value);
      return parsed === UNSURE ? UNSURE : step(parsed);
    };
  }
  return (value) => {
    let parsed = parse(value);
    for (let i = 0; i < steps.length && parsed !== UNSURE; i++) parsed = steps[i]!(parsed);
    return parsed;
  };
}

/** The schema's value read from `value` when the quick reader is sure of it; undefined leaves it to zod. */
export function readQuickly<S extends z.ZodType>(schema: S, value: unknown): { data: z.output<S> } | undefined {
  const reader = readerOf(schema as unknown as Schema);
  if (!reader) return undefined;
  const read = reader(value);
  return read === UNSURE ? undefined : { data: read as z.output<S> };
}

/** `schema.safeParse(value)`, read quickly when the quick reader is sure of the value. */
export function safeParse<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  const quick = readQuickly(schema, value);
  return quick ? { success: true, data: quick.data } : schema.safeParse(value);
}

/** `schema.parse(value)`, read quickly when the quick reader is sure of the value. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const quick = readQuickly(schema, value);
  return quick ? quick.data : schema.parse(value);
}
