import { readFileSync, rmSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileSystemCause } from "../errors.js";
import { redact } from "../text/redact.js";
import {
  CACHE_FORMAT_VERSION,
  CacheEntrySchema,
  type CacheEntry,
  type CacheKeyFields,
  type CachedResponse,
} from "./cache-entry.js";
import {
  type CacheStats,
  cacheEntryFiles,
  cacheStats,
  clearFailedEntries,
  preflightCacheDir,
  removeCacheLeftovers,
} from "./cache-folder.js";

export {
  CACHE_FORMAT_VERSION,
  cacheKey,
  type CacheEntry,
  type CacheKeyFields,
  type CachedResponse,
} from "./cache-entry.js";
export type { CacheStats } from "./cache-folder.js";

export interface ResponseCacheOptions {
  /** Told once when writing fails mid-run and the cache stops writing for the rest of it. Default: none told. */
  onWarning?: (message: string) => void;
}

/** Model answers on disk, one JSON file per key under `<dir>/<first two hex digits>/`. */
export class ResponseCache {
  /** Answers whose file is still being written: read from here meanwhile, so a write never makes a miss. */
  private readonly writing = new Map<string, CachedResponse>();
  private readonly pendingWrites = new Set<Promise<void>>();
  /** Set once a write failed: the rest of the run writes nothing (the cache is `off` for writing). */
  private writeFailure: string | undefined;
  /** Shard folders known to exist: one mkdir per folder and run, not one per answer. */
  private readonly folders = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly options: ResponseCacheOptions = {},
  ) {}

  /** Why writing stopped, once it has. */
  get degraded(): string | undefined {
    return this.writeFailure;
  }

  /**
   * Before the first call of a run that writes the cache: the folder is made, a file of an entry's
   * size written, flushed, renamed and removed, so a read-only mount, a missing permission or a full
   * disk stops the run (RunError naming the cause) before any answer is paid for. Temporary files of
   * processes that were killed while writing are removed in the background (the returned promise,
   * which never rejects, says when), and a `.gitignore` keeps any from a commit.
   */
  preflight(): Promise<number> {
    preflightCacheDir(this.dir);
    return this.removeLeftovers();
  }

  /** Remove the temporary files killed processes left (see removeCacheLeftovers); resolves to how many. */
  removeLeftovers(): Promise<number> {
    return removeCacheLeftovers(this.dir);
  }

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
    if (this.writeFailure !== undefined) return;
    const temp = `${path}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    this.writing.set(key, response);
    const done = (async () => {
      const folder = dirname(path);
      if (!this.folders.has(folder)) {
        await mkdir(folder, { recursive: true });
        this.folders.add(folder);
      }
      try {
        await writeFile(temp, `${redact(JSON.stringify(entry, null, 1))}\n`);
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw error;
      }
    })()
      .catch((error: unknown) => this.stopWriting(error))
      .finally(() => {
        if (this.writing.get(key) === response) this.writing.delete(key);
        this.pendingWrites.delete(done);
      });
    this.pendingWrites.add(done);
  }

  /**
   * A write failed mid-run (the disk filled up, the folder was made read-only): the answers are paid
   * for and the run goes on, the cache no longer written for the rest of it, and the run is told once.
   */
  private stopWriting(error: unknown): void {
    if (this.writeFailure !== undefined) return;
    this.writeFailure = fileSystemCause(error, this.dir);
    this.options.onWarning?.(
      `cannot write the model answer cache ${this.dir}: ${this.writeFailure}; the run goes on with the cache off for writing (answers from here on are not cached)`,
    );
  }

  /** Wait for every write in flight. */
  async settle(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites]);
  }

  /** Wait for every write in flight (a write that failed turned writing off and warned; it does not fail the run). */
  async flush(): Promise<void> {
    await this.settle();
  }

  /** How many entries the cache holds, their size, and how many per `provider:model`. */
  stats(): CacheStats {
    return cacheStats(this.dir);
  }

  /** Delete the entries holding an answer that failed (see clearFailedEntries); returns how many. */
  clearFailed(): number {
    return clearFailedEntries(this.dir);
  }

  /** Delete every entry; returns how many there were. */
  clear(): number {
    const count = cacheEntryFiles(this.dir).length;
    this.folders.clear();
    rmSync(this.dir, { recursive: true, force: true });
    return count;
  }
}
