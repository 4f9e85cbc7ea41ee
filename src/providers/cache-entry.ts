import { createHash, type Hash, hash as hashOnce } from "node:crypto";
import { z } from "zod";
import { UsageSchema } from "../schema/dry-run.js";
import { safeParse } from "../schema/quick-parse.js";
import type { CompletionRequest } from "./provider.js";

/** Bumped when the entry layout changes; old entries then miss instead of misreading. */
export const CACHE_FORMAT_VERSION = 1;

/**
 * What can change an answer, and nothing that cannot: no API key, timeout or retry count.
 * `template` names the prompt template and its version; `repeat` separates a deliberate second
 * judgement of the same prompt, `attempt` the retry of an answer that did not parse.
 */
export interface CacheKeyFields {
  provider: string;
  model: string;
  base_url: string | null;
  template: string;
  repeat: number;
  attempt: number;
  request: CompletionRequest;
  /** Settings of the model that change its answers besides the request (effort, thinking, structured output); absent when none is set. */
  params?: Record<string, unknown>;
}

export const CacheEntrySchema = z.object({
  format_version: z.literal(CACHE_FORMAT_VERSION),
  key: z.string(),
  provider: z.string(),
  model: z.string(),
  template: z.string(),
  response: z.object({
    text: z.string(),
    usage: UsageSchema,
    latency_ms: z.number(),
    model: z.string(),
    /** How the answer ended; absent in entries written before stop reasons were read. */
    stop: z.enum(["end", "truncated", "refused", "empty"]).optional(),
    stop_reason: z.string().optional(),
  }),
});

export type CacheEntry = z.infer<typeof CacheEntrySchema> & { fields?: CacheKeyFields; created_at?: string };
export type CachedResponse = CacheEntry["response"];

/**
 * The stored answer of a parsed cache entry when it is one, of this key, as CacheEntrySchema reads it.
 * A run reads every answer it replays: it is read quickly (see quick-parse) where the entry is as
 * the cache writes it.
 */
export function entryResponse(value: unknown, key: string): CachedResponse | undefined {
  const parsed = safeParse(CacheEntrySchema, value);
  return parsed.success && parsed.data.key === key ? parsed.data.response : undefined;
}

/**
 * The canonical JSON of deep-frozen objects, made once: a request's answer format (a JSON Schema of
 * many small objects, see answerFormat) is the same frozen object in every call of its template,
 * and walking it again for each call's key was most of what the key cost.
 */
const frozenJson = new WeakMap<object, string>();
/** Frozen objects that hold something not frozen: their JSON could change, so it is not kept. */
const partlyFrozen = new WeakSet<object>();

/** Whether `value` and everything it holds is frozen, so its JSON can never change. */
function deepFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every((item) => item === null || typeof item !== "object" || deepFrozen(item));
}

/** JSON with object keys sorted, so equal requests hash equally whatever order their fields were built in. */
function canonicalJson(value: unknown, out: { update(text: string): unknown }): void {
  if (value && typeof value === "object" && Object.isFrozen(value) && !partlyFrozen.has(value)) {
    let text = frozenJson.get(value);
    if (text === undefined) {
      if (!deepFrozen(value)) {
        partlyFrozen.add(value);
        writeJson(value, out);
        return;
      }
      const pieces: string[] = [];
      writeJson(value, { update: (piece) => pieces.push(piece) });
      frozenJson.set(value, (text = pieces.join("")));
    }
    out.update(text);
    return;
  }
  writeJson(value, out);
}

/** A key as the canonical JSON writes it, first in its object and after another: made once per name. */
const keyTexts = new Map<string, { first: string; next: string }>();

function keyJson(key: string): { first: string; next: string } {
  let written = keyTexts.get(key);
  if (written === undefined) {
    written = { first: `${JSON.stringify(key)}:`, next: `,${JSON.stringify(key)}:` };
    // Requests hold a few dozen field names; the bound only keeps odd input from growing it.
    if (keyTexts.size < 4096) keyTexts.set(key, written);
  }
  return written;
}

function writeJson(value: unknown, out: { update(text: string): unknown }): void {
  if (Array.isArray(value)) {
    out.update("[");
    value.forEach((item, i) => {
      if (i > 0) out.update(",");
      canonicalJson(item, out);
    });
    out.update("]");
    return;
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    out.update("{");
    let first = true;
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      const written = keyJson(key);
      out.update(first ? written.first : written.next);
      first = false;
      canonicalJson(item, out);
    }
    out.update("}");
    return;
  }
  // undefined inside an array writes nothing between its commas, as the key format always has.
  const json = JSON.stringify(value) as string | undefined;
  if (json !== undefined) out.update(json);
}

/** Characters gathered before they go to the hash: one call into it per block, not one per token. */
const HASH_BLOCK = 64 * 1024;

/** A character past Latin-1: a string holding one is stored two bytes a character. */
const WIDE = /[^\u0000-\u00ff]/;

/**
 * The SHA-256 of the fields' canonical JSON, fed to the hash in blocks rather than built whole (a long
 * conversation is never held twice), each block of many pieces (a call into the hash costs more than
 * hashing a short piece). A long piece with a character past Latin-1 (an answer format's "…", an
 * emoji in a turn) goes to the hash on its own: joined to the block, it would make the whole block a
 * two-byte string, every other piece copied wide into it and read back narrow by the hash, which
 * cost the key twice what it costs without.
 */
export function cacheKey(fields: CacheKeyFields): string {
  let hash: Hash | undefined;
  let block = "";
  const flush = () => {
    (hash ??= createHash("sha256")).update(block);
    block = "";
  };
  canonicalJson(
    { v: CACHE_FORMAT_VERSION, ...fields },
    {
      update(text: string) {
        if (text.length >= 64 && WIDE.test(text)) {
          flush();
          hash!.update(text);
          return;
        }
        block += text;
        if (block.length >= HASH_BLOCK) flush();
      },
    },
  );
  // Most requests fit in one block: hashed in one call, without a Hash object made for them.
  return hash ? hash.update(block).digest("hex") : hashOnce("sha256", block, "hex");
}
