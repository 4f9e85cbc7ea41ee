import { z } from "zod";
import type { AnswerFormat } from "./provider.js";

/**
 * Keywords both providers' structured outputs accept. OpenAI's strict mode refuses `minLength` and
 * friends, Anthropic's refuses numeric and length bounds: the zod schema still checks those when
 * the answer is read, so leaving them out of what is sent loses nothing.
 */
const KEPT = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "description",
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Nullable in the shape both strict modes take: `anyOf` with `null`, or a type list for a plain type. */
function nullable(node: Json): Json {
  if (Array.isArray(node.anyOf))
    return (node.anyOf as Json[]).some((n) => n.type === "null")
      ? node
      : { ...node, anyOf: [...(node.anyOf as Json[]), { type: "null" }] };
  if (typeof node.type === "string" && node.enum === undefined && node.const === undefined)
    return { ...node, type: [node.type, "null"] };
  return { anyOf: [node, { type: "null" }] };
}

/**
 * The strict subset: every object closed (`additionalProperties: false`) with every property
 * required, an optional one made nullable instead (the answer reader takes `null` as absent), and
 * only the keywords in KEPT.
 */
export function strictJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictJsonSchema);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT.has(key)) continue;
    if (key === "properties" && isObject(value)) {
      const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => {
          const strict = strictJsonSchema(child) as Json;
          return [name, required.has(name) ? strict : nullable(strict)];
        }),
      );
    } else out[key] = strictJsonSchema(value);
  }
  if (out.type === "object" || out.properties !== undefined) {
    out.type = "object";
    out.properties ??= {};
    out.required = Object.keys(out.properties as Json);
    out.additionalProperties = false;
  }
  return out;
}

/** `value` and everything it holds, frozen. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * The format a model is asked to answer in, from the zod schema that reads its answer. It is frozen
 * whole: the same format goes with every call of a template, and the cache key takes its JSON once.
 */
export function answerFormat(name: string, schema: z.ZodType): AnswerFormat {
  const json = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" });
  return deepFreeze({ name, schema: strictJsonSchema(json) as Json });
}
