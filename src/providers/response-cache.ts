import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileSystemCause, RunError } from "../errors.js";
import { processRunning } from "../process-running.js";
import { redact } from "../text/redact.js";
import {
  CACHE_FORMAT_VERSION,
  CacheEntrySchema,
  type CacheEntry,
  type CacheKeyFields,
  type CachedResponse,
} from "./cache-entry.js";
import { readJson } from "./parse-json-answer.js";

export {
  CACHE_FORMAT_VERSION,
  cacheKey,
  type CacheEntry,
  type CacheKeyFields,
  type CachedResponse,
} from "./cache-entry.js";

export interface CacheStats {
  entries: number;
  bytes: number;
  byModel: Record<string, number>;
}

/** Bytes the preflight writes: more than an answer's entry usually takes, so a disk that cannot hold one is found. */
const PREFLIGHT_BYTES = 64 * 1024;
/** A temporary file this old is a leftover whatever process wrote it (a write takes milliseconds). */
const LEFTOVER_AGE_MS = 10 * 60_000;
/** `<key>.json.<pid>.<random>.tmp`, or the preflight's `.preflight.<pid>.tmp`. */
const TEMPORARY = /\.(\d+)(?:\.[0-9a-f]*)?\.tmp$/;

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
   * processes that were killed while writing are removed, and a `.gitignore` keeps any from a commit.
   */
  preflight(): void {
    const probe = join(this.dir, `.preflight.${process.pid}.tmp`);
    try {
      mkdirSync(this.dir, { recursive: true });
      const fd = openSync(probe, "w");
      try {
        const bytes = Buffer.alloc(PREFLIGHT_BYTES, 0x20);
        for (let written = 0; written < bytes.length; )
          written += writeSync(fd, bytes, written, bytes.length - written);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      const renamed = join(this.dir, `.preflight-renamed.${process.pid}.tmp`);
      renameSync(probe, renamed);
      rmSync(renamed, { force: true });
      const ignore = join(this.dir, ".gitignore");
      if (!existsSync(ignore))
        writeFileSync(ignore, "# answers being written (or left by a killed run): never commit them\n*.tmp\n");
    } catch (error) {
      try {
        rmSync(probe, { force: true });
      } catch {
        // the folder itself is what failed
      }
      throw new RunError(
        `the model answer cache ${this.dir} cannot be written: ${fileSystemCause(error, this.dir)}. ` +
          "Set cache.dir to a writable folder, or run with --cache read-only (answers read, never written) or --cache off",
        { cause: error },
      );
    }
    this.removeLeftovers();
  }

  /**
   * Remove the temporary files a killed process left (its answer never made it into the cache):
   * those of processes no longer running, and any older than LEFTOVER_AGE_MS. Returns how many.
   */
  removeLeftovers(): number {
    let removed = 0;
    const now = Date.now();
    for (const folder of [this.dir, ...this.shardFolders()]) {
      let names: string[];
      try {
        names = readdirSync(folder);
      } catch {
        continue;
      }
      for (const name of names) {
        const match = TEMPORARY.exec(name);
        if (!match) continue;
        const path = join(folder, name);
        try {
          if (
            Number(match[1]) !== process.pid &&
            (!processRunning(Number(match[1])) || now - statSync(path).mtimeMs > LEFTOVER_AGE_MS)
          ) {
            rmSync(path, { force: true });
            removed++;
          }
        } catch {
          // gone meanwhile, or not ours to remove: left alone
        }
      }
    }
    return removed;
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
        stats.byModel.unreadable = (stats.byModel.unreadable ?? 0) + 1;
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
        failed =
          response.stop !== undefined
            ? response.stop !== "end"
            : response.text.trim() === "" || !readJson(response.text).ok;
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

  private shardFolders(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((name) => /^[0-9a-f]{2}$/.test(name))
        .map((name) => join(this.dir, name));
    } catch {
      return [];
    }
  }

  /** The entries: `<key>.json` files, never a temporary file still (or never to be) renamed into place. */
  private files(): string[] {
    return this.shardFolders().flatMap((folder) =>
      readdirSync(folder)
        .filter((name) => name.endsWith(".json"))
        .map((name) => join(folder, name)),
    );
  }
}
