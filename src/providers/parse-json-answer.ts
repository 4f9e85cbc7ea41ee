import type { z } from "zod";
import { safeParse } from "../schema/quick-parse.js";

export type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

const FENCE = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/;

/** The JSON in a model's answer: the whole text, the first ```json fence, or the outermost `{…}` in the text. */
export function readJson(text: string): ParsedAnswer<unknown> {
  const candidates = [text.trim()];
  const fenced = FENCE.exec(text)?.[1];
  if (fenced !== undefined) candidates.push(fenced.trim());
  const first = text.indexOf("{");
  const last = text.lastIndexOf("}");
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  let value: unknown;
  let parsed = false;
  for (const candidate of candidates) {
    try {
      value = JSON.parse(candidate);
      parsed = true;
      break;
    } catch {
      // try the next reading
    }
  }
  return parsed ? { ok: true, value } : { ok: false, error: "the answer is not JSON" };
}

/**
 * Read a model's JSON answer (see `readJson`), then validate it. The error says what was wrong,
 * for the record and the retry.
 */
export function parseJsonAnswer<S extends z.ZodType>(text: string, schema: S): ParsedAnswer<z.infer<S>> {
  const json = readJson(text);
  if (!json.ok) return json;
  const result = safeParse(schema, json.value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  return {
    ok: false,
    error: `the answer does not match the contract: ${issue.path.join(".") || "(root)"}: ${issue.message}`,
  };
}
