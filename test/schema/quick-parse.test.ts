import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AssessAnswerSchema, JunkAnswerSchema, PairwiseAnswerSchema } from "../../src/judge/llm/judge-answers.js";
import { ConversationSchema } from "../../src/schema/conversation.js";
import { GoldenMemorySchema } from "../../src/schema/golden.js";
import { LlmAnswerSchema, LlmMemorySchema } from "../../src/schema/llm-answer.js";
import { parse, readQuickly, safeParse } from "../../src/schema/quick-parse.js";

const lines = (file: string) =>
  readFileSync(new URL(`../../${file}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as unknown);

/** A value written out so that two values compare equal only when zod's and the reader's output are the same: key order, undefined, prototypes. */
function shown(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (Array.isArray(value)) return `[${value.map(shown).join(",")}]`;
  if (value && typeof value === "object") {
    const proto = Object.getPrototypeOf(value) === Object.prototype ? "" : "(other prototype)";
    return `${proto}{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${shown((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Values put in place of each part of a sample: each kind of thing a record or an answer can wrongly (or rightly) hold. */
const REPLACEMENTS: unknown[] = [
  null,
  undefined,
  "",
  "   ",
  "  padded  ",
  "x",
  // Lengths zod counts in code points: one of two units, five of ten.
  "😀",
  "😀😀😀😀😀",
  "user",
  "A",
  "tie",
  "tool_dump",
  "t1",
  0,
  -1,
  0.5,
  1,
  2,
  5,
  6,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  [""],
  ["x"],
  {},
  { namespace: "n" },
  new Date(0),
];

function replaced(root: unknown, path: PropertyKey[], make: (value: unknown) => unknown): unknown {
  if (path.length === 0) return make(root);
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<PropertyKey, unknown>;
  const [head, ...rest] = path;
  copy[head!] = replaced((root as Record<PropertyKey, unknown>)[head!], rest, make);
  return copy;
}

/** Every path of a value, the root first. */
function pathsOf(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  const out = [path];
  if (value && typeof value === "object")
    for (const key of Object.keys(value)) out.push(...pathsOf((value as Record<string, unknown>)[key], [...path, key]));
  return out;
}

/** The sample and its variants: each part replaced by each replacement, deleted, or joined by an unknown key. */
function* variants(sample: unknown): Generator<unknown> {
  yield sample;
  for (const path of pathsOf(sample)) {
    for (const replacement of REPLACEMENTS) yield replaced(sample, path, () => replacement);
    const node = path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown>)[key], sample);
    if (node && typeof node === "object" && !Array.isArray(node)) {
      yield replaced(sample, path, (value) => ({ ...(value as object), extra: "x" }));
      yield replaced(sample, path, (value) => ({ ...(value as object), namespace_2: 3 }));
      yield replaced(sample, path, (value) => ({ ...(value as object), ...JSON.parse('{"__proto__": "x"}') }));
      for (const key of Object.keys(node)) {
        yield replaced(sample, path, (value) => {
          const { [key]: _dropped, ...rest } = value as Record<string, unknown>;
          return rest;
        });
      }
    }
    if (Array.isArray(node) && node.length > 0) {
      yield replaced(sample, path, (value) => [...(value as unknown[]), (value as unknown[])[0]]);
      yield replaced(sample, path, () => []);
    }
  }
}

/**
 * Every variant read both ways: whenever the quick reader gives a value, zod accepts the variant and
 * gives the same value; returns how many variants each way went.
 */
function compare(schema: z.ZodType, samples: unknown[]): { quick: number; zod: number; rejected: number } {
  const counts = { quick: 0, zod: 0, rejected: 0 };
  for (const sample of samples) {
    for (const value of variants(sample)) {
      const bySchema = schema.safeParse(value);
      const quick = readQuickly(schema, value);
      if (quick) {
        counts.quick++;
        if (!bySchema.success) throw new Error(`the quick reader accepted what zod refuses: ${shown(value)}`);
        if (shown(quick.data) !== shown(bySchema.data))
          throw new Error(
            `the quick reader read ${shown(value)} as ${shown(quick.data)}, zod as ${shown(bySchema.data)}`,
          );
      } else if (bySchema.success) counts.zod++;
      else counts.rejected++;
      // safeParse gives zod's answer (its error too) whenever the quick reader is unsure.
      expect(shown(safeParse(schema, value))).toBe(shown(quick ? { success: true, data: quick.data } : bySchema));
    }
  }
  return counts;
}

describe("quick reading of a schema", () => {
  it("reads the demo dataset's conversations as zod does, and every variant zod refuses is left to it", () => {
    const conversations = lines("datasets/demo/conversations.jsonl");
    const samples = conversations.slice(0, 2);
    for (const conversation of conversations) expect(readQuickly(ConversationSchema, conversation)).toBeDefined();
    const withMetadata = { ...(samples[0] as object), metadata: { source: "chat", n: 2, nested: { a: [1] } } };
    const withScope = { ...(samples[0] as object), scope: { namespace: "user:x", team: "core" } };
    const counts = compare(ConversationSchema, [...samples, withMetadata, withScope]);
    expect(counts.quick).toBeGreaterThan(100);
    expect(counts.rejected).toBeGreaterThan(1000);
  });

  it("refuses a conversation whose turn ids repeat, through the schema's own refinement", () => {
    const [conversation] = lines("datasets/demo/conversations.jsonl") as Array<{ turns: unknown[] }>;
    const repeated = { ...conversation, turns: [...conversation!.turns, conversation!.turns[0]] };
    expect(readQuickly(ConversationSchema, repeated)).toBeUndefined();
    expect(safeParse(ConversationSchema, repeated).success).toBe(false);
  });

  it("reads golden memories as zod does: trimmed text, checked evidence and importance", () => {
    const golden = lines("golden/demo/golden.jsonl");
    for (const memory of golden) expect(readQuickly(GoldenMemorySchema, memory)).toBeDefined();
    const full = {
      ...(golden[0] as object),
      text: "  padded fact  ",
      alternatives: [" one ", "two"],
      type: "fact",
      importance: 3,
      notes: "n",
    };
    expect(readQuickly(GoldenMemorySchema, full)?.data).toMatchObject({
      text: "padded fact",
      alternatives: ["one", "two"],
    });
    const counts = compare(GoldenMemorySchema, [...golden.slice(0, 4), full]);
    expect(counts.quick).toBeGreaterThan(50);
    expect(counts.rejected).toBeGreaterThan(300);
  });

  it("reads the model answers of the extractor and the judge as zod does", () => {
    const memory = {
      text: "Mateo runs before work",
      type: "preference",
      subject: "Mateo",
      predicate: "runs_before",
      object: "work",
      confidence: 0.8,
      evidence: ["t1"],
    };
    const { evidence: _none, ...withoutEvidence } = memory;
    expect(compare(LlmMemorySchema, [memory, withoutEvidence]).quick).toBeGreaterThan(10);
    expect(compare(LlmAnswerSchema, [{ memories: [memory] }]).quick).toBeGreaterThan(10);
    const assess = {
      memories: [{ index: 0, reason: "states it", rating: 4 }],
      coverage: [{ golden_id: "g1", reason: "same fact", score: 2, candidate_indexes: [0] }],
    };
    expect(compare(AssessAnswerSchema, [assess]).quick).toBeGreaterThan(10);
    const junk = {
      verdicts: [
        { index: 0, reason: "a tool's output", junk: true, category: "tool_dump" },
        { index: 1, reason: "fine", junk: false, category: null },
      ],
    };
    expect(compare(JunkAnswerSchema, [junk]).quick).toBeGreaterThan(10);
    expect(compare(PairwiseAnswerSchema, [{ reason: "A covers more", winner: "A" }]).quick).toBeGreaterThan(3);
  });

  it("reads the kinds it knows as zod does: stripped keys, catchalls, records, defaults, formats, bounds", () => {
    const schema = z.object({
      a: z.string().trim().min(2).max(8),
      b: z.number().int().min(0).max(3).optional(),
      c: z.array(z.string().min(1)).min(1).default(["d"]),
      d: z.record(z.string(), z.unknown()).optional(),
      e: z.enum(["x", "y"]).nullable(),
      f: z.literal("k").optional(),
      g: z.boolean(),
      h: z
        .string()
        .regex(/^t\d+$/)
        .optional(),
      i: z.email().optional(),
      j: z.number().gt(0).lt(1).optional(),
      k: z.unknown(),
    });
    const sample = {
      a: " ab ",
      b: 1,
      c: ["x"],
      d: { p: 1 },
      e: "x",
      f: "k",
      g: true,
      h: "t1",
      i: "a@b.co",
      j: 0.5,
      k: [1],
    };
    const counts = compare(schema, [sample, { a: "abc", e: null, g: false, k: null, extra: 1 }]);
    expect(counts.quick).toBeGreaterThan(50);
    // A TypeScript numeric enum holds its names as reverse keys: zod accepts only the numbers.
    const numeric = z.object({
      level: z.enum({ Low: 0, High: 1, 0: "Low", 1: "High" } as unknown as { Low: 0; High: 1 }),
    });
    for (const level of [0, 1, "Low", "High", 2]) {
      const quick = readQuickly(numeric, { level });
      expect(quick ? quick.data : "refused").toEqual(numeric.safeParse({ level }).success ? { level } : "refused");
    }
    const catchall = z.object({ namespace: z.string().min(1) }).catchall(z.string());
    expect(compare(catchall, [{ namespace: "n", team: "t", "2": "two" }]).quick).toBeGreaterThan(5);
    // A default is a fresh copy each time, as zod's is.
    const first = readQuickly(schema, { a: "abc", e: null, g: true, k: 1 })!.data.c;
    const second = readQuickly(schema, { a: "abc", e: null, g: true, k: 1 })!.data.c;
    expect(first).toEqual(["d"]);
    expect(first).not.toBe(second);
  });

  it("leaves to zod every schema with a part it does not know, and gives zod's answer and error", () => {
    const unions = z.object({ v: z.union([z.string(), z.number()]) });
    const transformed = z.object({ v: z.string().transform((text) => text.length) });
    const lazy: z.ZodType = z.lazy(() => z.object({ next: lazy.optional() }));
    for (const [schema, value] of [
      [unions, { v: 1 }],
      [transformed, { v: "abc" }],
      [lazy, { next: {} }],
      [z.string().default("d").optional(), undefined],
    ] as const) {
      expect(readQuickly(schema, value)).toBeUndefined();
      expect(safeParse(schema, value)).toEqual(schema.safeParse(value));
    }
    expect(parse(transformed, { v: "abc" })).toEqual({ v: 3 });
    expect(() => parse(ConversationSchema, { id: "c" })).toThrow(z.ZodError);
  });
});
