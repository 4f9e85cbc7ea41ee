import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { RunError } from "../errors.js";
import { UsageSchema } from "../schema/dry-run.js";
import { readJson } from "./parse-json-answer.js";
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

const CacheEntrySchema = z.object({
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

/** JSON with object keys sorted, so equal requests hash equally whatever order their fields were built in. */
function canonicalJson(value: unknown, out: { update(text: string): unknown }): void {
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
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    out.update("{");
    keys.forEach((k, i) => {
      out.update(`${i > 0 ? "," : ""}${JSON.stringify(k)}:`);
      canonicalJson((value as Record<string, unknown>)[k], out);
    });
    out.update("}");
    return;
  }
  // undefined inside an array writes nothing between its commas, as the key format always has.
  const json = JSON.stringify(value) as string | undefined;
  if (json !== undefined) out.update(json);
}

/** The SHA-256 of the fields' canonical JSON, fed to the hash piece by piece rather than built whole. */
export function cacheKey(fields: CacheKeyFields): string {
  const hash = createHash("sha256");
  canonicalJson({ v: CACHE_FORMAT_VERSION, ...fields }, hash);
  return hash.digest("hex");
}

export interface CacheStats {
  entries: number;
  bytes: number;
  byModel: Record<string, number>;
}

/** Model answers on disk, one JSON file per key under `<dir>/<first two hex digits>/`. */
export class ResponseCache {
  /** Answers whose file is still being written: read from here meanwhile, so a write never makes a miss. */
  private readonly writing = new Map<string, CachedResponse>();
  private readonly pendingWrites = new Set<Promise<void>>();
  private writeError: Error | undefined;
  /** Shard folders known to exist: one mkdir per folder and run, not one per answer. */
  private readonly folders = new Set<string>();

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The stored answer, or undefined for a miss (an unreadable or foreign entry is a miss too). */
  read(key: string): CachedResponse | undefined {
    const written = this.writing.get(key);
    if (written) return written;
    let text: string;
    try {
      text = readFileSync(this.pathOf(key), "utf8");
    } catch {
      return undefined;
    }
    try {
      const parsed = CacheEntrySchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.key === key ? parsed.data.response : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Store an answer atomically (a temporary file in the same folder, then a rename over the final
   * name), off the event loop: the run goes on while the file is written, and `flush` waits for it.
   */
  write(key: string, fields: CacheKeyFields, response: CachedResponse): void {
    const path = this.pathOf(key);
    const entry: CacheEntry = {
      format_version: CACHE_FORMAT_VERSION,
      key,
      provider: fields.provider,
      model: fields.model,
      template: fields.template,
      // The request itself is not stored: it is what the key hashes, and a cache committed for CI stays small.
      response,
      created_at: new Date().toISOString(),
    };
    const temp = `${path}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    this.writing.set(key, response);
    const done = (async () => {
      const folder = dirname(path);
      if (!this.folders.has(folder)) {
        await mkdir(folder, { recursive: true });
        this.folders.add(folder);
      }
      await writeFile(temp, `${JSON.stringify(entry, null, 1)}\n`);
      await rename(temp, path);
    })()
      .catch((error: unknown) => {
        this.writeError ??= error as Error;
      })
      .finally(() => {
        if (this.writing.get(key) === response) this.writing.delete(key);
        this.pendingWrites.delete(done);
      });
    this.pendingWrites.add(done);
  }

  /** Wait for every write in flight. */
  async settle(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites]);
  }

  /** Wait for every write in flight; throws the first write that failed (a full disk, a read-only folder). */
  async flush(): Promise<void> {
    await this.settle();
    if (this.writeError) {
      const error = this.writeError;
      this.writeError = undefined;
      throw new RunError(`cannot write the model answer cache in ${this.dir}: ${error.message}`, { cause: error });
    }
  }

  stats(): CacheStats {
    const stats: CacheStats = { entries: 0, bytes: 0, byModel: {} };
    for (const file of this.files()) {
      stats.entries++;
      stats.bytes += statSync(file).size;
      try {
        const entry = JSON.parse(readFileSync(file, "utf8")) as { provider?: string; model?: string };
        const name = `${entry.provider ?? "?"}:${entry.model ?? "?"}`;
        stats.byModel[name] = (stats.byModel[name] ?? 0) + 1;
      } catch {
        stats.byModel["unreadable"] = (stats.byModel["unreadable"] ?? 0) + 1;
      }
    }
    return stats;
  }

  /**
   * Delete the entries holding an answer that failed: cut off, refused or empty by its recorded stop
   * reason, or, in entries written before stop reasons were recorded, empty or holding no JSON at
   * all. (An old entry that is JSON but misses its contract is asked again by the run that meets
   * it, and then replaced.) Returns how many were removed; unreadable entries are removed too.
   */
  clearFailed(): number {
    let removed = 0;
    for (const file of this.files()) {
      let failed: boolean;
      try {
        const { response } = CacheEntrySchema.parse(JSON.parse(readFileSync(file, "utf8")));
        failed = response.stop !== undefined ? response.stop !== "end" : response.text.trim() === "" || !readJson(response.text).ok;
      } catch {
        failed = true;
      }
      if (failed) {
        rmSync(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Delete every entry; returns how many there were. */
  clear(): number {
    const count = this.files().length;
    this.folders.clear();
    rmSync(this.dir, { recursive: true, force: true });
    return count;
  }

  private files(): string[] {
    let shards: string[];
    try {
      shards = readdirSync(this.dir).filter((name) => /^[0-9a-f]{2}$/.test(name));
    } catch {
      return [];
    }
    return shards.flatMap((shard) =>
      readdirSync(join(this.dir, shard))
        .filter((name) => name.endsWith(".json"))
        .map((name) => join(this.dir, shard, name)),
    );
  }
}
