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
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileSystemCause, RunError } from "../errors.js";
import { processRunning } from "../process-running.js";
import { CacheEntrySchema } from "./cache-entry.js";
import { readJson } from "./parse-json-answer.js";

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

/**
 * The cache folder is made, a file of an entry's size written, flushed, renamed and removed, so a
 * read-only mount, a missing permission or a full disk stops the run (RunError naming the cause)
 * before any answer is paid for; a `.gitignore` keeps temporary files from a commit.
 */
export function preflightCacheDir(dir: string): void {
  const probe = join(dir, `.preflight.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(probe, "w");
    try {
      const bytes = Buffer.alloc(PREFLIGHT_BYTES, 0x20);
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const renamed = join(dir, `.preflight-renamed.${process.pid}.tmp`);
    renameSync(probe, renamed);
    rmSync(renamed, { force: true });
    const ignore = join(dir, ".gitignore");
    if (!existsSync(ignore))
      writeFileSync(ignore, "# answers being written (or left by a killed run): never commit them\n*.tmp\n");
  } catch (error) {
    try {
      rmSync(probe, { force: true });
    } catch {
      // the folder itself is what failed
    }
    throw new RunError(
      `the model answer cache ${dir} cannot be written: ${fileSystemCause(error, dir)}. ` +
        "Set cache.dir to a writable folder, or run with --cache read-only (answers read, never written) or --cache off",
      { cause: error },
    );
  }
}

/** The path of a temporary file in `folder` that a killed process left, or undefined when `name` is not one. */
function leftover(folder: string, name: string, now: number): string | undefined {
  const match = TEMPORARY.exec(name);
  if (!match || Number(match[1]) === process.pid) return undefined;
  const path = join(folder, name);
  try {
    return !processRunning(Number(match[1])) || now - statSync(path).mtimeMs > LEFTOVER_AGE_MS ? path : undefined;
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Remove the leftovers among `names` of `folder`; returns how many went. */
function removeLeftoversOf(folder: string, names: readonly string[], now: number): number {
  let removed = 0;
  for (const name of names) {
    const path = leftover(folder, name, now);
    if (!path) continue;
    try {
      rmSync(path, { force: true });
      removed++;
    } catch {
      // not ours to remove: left alone
    }
  }
  return removed;
}

/**
 * Remove the temporary files a killed process left (its answer never made it into the cache): those
 * of processes no longer running, and any older than LEFTOVER_AGE_MS. The folders are listed off the
 * thread (a cache of many answers has hundreds of them), so a run starting goes on meanwhile.
 * Resolves to how many were removed; never rejects.
 */
export async function removeCacheLeftovers(dir: string): Promise<number> {
  const now = Date.now();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const shards = names.filter(isShardName).map((name) => join(dir, name));
  const counts = await Promise.all(
    shards.map((folder) =>
      readdir(folder).then(
        (inside) => removeLeftoversOf(folder, inside, now),
        () => 0,
      ),
    ),
  );
  return counts.reduce((sum, n) => sum + n, removeLeftoversOf(dir, names, now));
}

/** How many entries the cache holds, their size, and how many per `provider:model`. */
export function cacheStats(dir: string): CacheStats {
  const stats: CacheStats = { entries: 0, bytes: 0, byModel: {} };
  for (const file of cacheEntryFiles(dir)) {
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
export function clearFailedEntries(dir: string): number {
  let removed = 0;
  for (const file of cacheEntryFiles(dir)) {
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

/** A shard folder's name: the first two hex digits of its entries' keys. */
function isShardName(name: string): boolean {
  return /^[0-9a-f]{2}$/.test(name);
}

function shardFolders(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter(isShardName)
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** The entries: `<key>.json` files, never a temporary file still (or never to be) renamed into place. */
export function cacheEntryFiles(dir: string): string[] {
  return shardFolders(dir).flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith(".json"))
      .map((name) => join(folder, name)),
  );
}
