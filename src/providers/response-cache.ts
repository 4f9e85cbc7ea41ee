import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileSystemCause } from "../errors.js";
import { redact } from "../text/redact.js";
import {
  CACHE_FORMAT_VERSION,
  entryResponse,
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
  /** Answers waiting to be written (see write): read from here meanwhile, so a queued write never makes a miss. */
  private readonly queued = new Map<string, CacheEntry>();
  /** The turn of the event loop that writes what is queued, once one is due. */
  private writeTurn: NodeJS.Immediate | undefined;
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
    const queued = this.queued.get(key);
    if (queued) return queued.response;
    let text: string;
    try {
      text = readFileSync(this.pathOf(key), "utf8");
    } catch {
      return undefined;
    }
    try {
      return entryResponse(JSON.parse(text), key);
    } catch {
      return undefined;
    }
  }

  /**
   * Store an answer. It is queued and written on the event loop's next turn, with every answer queued
   * in this one: an answer often arrives with others, and the calls that follow them (the next unit,
   * a waiting request) go out first. Each entry is written atomically (a temporary file in the same
   * folder, then a rename over the final name) and synchronously: a few kilobytes land in the page
   * cache in tens of microseconds, where the promise API's open, write, close and rename cost the run's
   * thread several times that on every answer, and the thread pool as much again.
   */
  write(key: string, fields: CacheKeyFields, response: CachedResponse): void {
    if (this.writeFailure !== undefined) return;
    this.queued.set(key, {
      format_version: CACHE_FORMAT_VERSION,
      key,
      provider: fields.provider,
      model: fields.model,
      template: fields.template,
      // The request itself is not stored: it is what the key hashes, and a cache committed for CI stays small.
      response,
      created_at: new Date().toISOString(),
    });
    this.writeTurn ??= setImmediate(() => this.writeQueued());
  }

  private writeQueued(): void {
    clearImmediate(this.writeTurn);
    this.writeTurn = undefined;
    for (const [key, entry] of this.queued) if (this.writeFailure === undefined) this.writeEntry(key, entry);
    this.queued.clear();
  }

  private writeEntry(key: string, entry: CacheEntry): void {
    const path = this.pathOf(key);
    const temp = `${path}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    try {
      const folder = dirname(path);
      if (!this.folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.folders.add(folder);
      }
      writeFileSync(temp, `${redact(JSON.stringify(entry, null, 1))}\n`);
      renameSync(temp, path);
    } catch (error) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // Nothing was left to remove, or the folder itself is what failed.
      }
      this.stopWriting(error);
    }
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

  /** Write what is queued now (a write that failed turned writing off and warned; it does not fail the run). */
  async flush(): Promise<void> {
    this.writeQueued();
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
