import { randomBytes } from "node:crypto";
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { processRunning } from "../process-running.js";
import { displayPath } from "../text/display-path.js";
import { notWritable } from "./not-writable.js";

/**
 * One run per run folder. A run holds `run.lock` (created exclusively: of two runs started together
 * into one folder, one gets it and the other stops with exit 2) for as long as it writes there. The
 * lock names its process, so a lock left by a killed run is recognized as such and taken over by the
 * resume; a resume started while the killed process is still dying waits for it to be gone, so no
 * record can land in the log after the resume read it.
 */
export const RUN_LOCK_FILE = "run.lock";

/** How long a resume waits for the process holding the lock to be gone (a killed run still dying). */
const WAIT_FOR_HOLDER_MS = 5_000;
/** A lock whose content cannot be read yet is being written: taken as held, unless it is this old. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

interface LockContent {
  pid: number;
  host: string;
  started_at: string;
  /** The holder's start time in clock ticks since boot (Linux), so a pid used again is not taken for the holder. */
  pid_start?: string;
  nonce: string;
}

/** Locks this process holds: run folder → the nonce its lock file carries. */
const held = new Map<string, string>();
let releaseOnExit = false;

function holds(nonce: string): boolean {
  return [...held.values()].includes(nonce);
}

/** The start time of a process (Linux `/proc/<pid>/stat` field 22), and whether it is a zombie; undefined elsewhere. */
function procStat(pid: number): { start: string; zombie: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { start: fields[19] ?? "", zombie: fields[0] === "Z" || fields[0] === "X" };
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote a lock is still running (a zombie has finished every write: it is not). */
export function holderAlive(lock: LockContent): boolean {
  if (lock.host !== hostname()) return false;
  if (lock.pid === process.pid) return holds(lock.nonce);
  if (!processRunning(lock.pid)) return false;
  const stat = procStat(lock.pid);
  if (!stat) return true;
  return !stat.zombie && (lock.pid_start === undefined || lock.pid_start === stat.start);
}

export function readLock(path: string): LockContent | undefined {
  try {
    const lock = JSON.parse(readFileSync(path, "utf8")) as Partial<LockContent>;
    return typeof lock.pid === "number" && typeof lock.host === "string" && typeof lock.nonce === "string"
      ? (lock as LockContent)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Create the lock file, whole from the first moment (written beside it, then hard-linked into place,
 * which fails when it exists); false when one exists already. Where hard links are not supported,
 * it is created exclusively and then written.
 */
function createLock(path: string): string | false {
  const start = procStat(process.pid)?.start;
  const lock: LockContent = {
    pid: process.pid,
    host: hostname(),
    started_at: new Date().toISOString(),
    ...(start ? { pid_start: start } : {}),
    nonce: randomBytes(8).toString("hex"),
  };
  const content = `${JSON.stringify(lock)}\n`;
  const temporary = `${path}.${process.pid}.${lock.nonce}.tmp`;
  writeFileSync(temporary, content);
  try {
    linkSync(temporary, path);
    return lock.nonce;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return lock.nonce;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function heldByAnother(dir: string, lock: LockContent | undefined): UsageError {
  const who = lock
    ? `process ${lock.pid}${lock.host === hostname() ? "" : ` on ${lock.host}`}, since ${lock.started_at}`
    : "another process";
  return new UsageError(
    `${displayPath(dir)} is being written by another run (${who}): one run per folder. Choose another --out, or wait for that run to end ` +
      `(if no run is writing there, delete ${displayPath(join(dir, RUN_LOCK_FILE))})`,
  );
}

/**
 * Take the run folder's lock, taking over one left by a process that is gone. `wait`: give a holder
 * that is still alive a few seconds to be gone (a killed run still dying) before refusing.
 */
export function lockRunDir(dir: string, wait: boolean): void {
  const path = join(dir, RUN_LOCK_FILE);
  const deadline = Date.now() + (wait ? WAIT_FOR_HOLDER_MS : 0);
  for (;;) {
    let nonce: string | false;
    try {
      nonce = createLock(path);
    } catch (error) {
      throw notWritable(dir, error);
    }
    if (nonce) {
      held.set(dir, nonce);
      if (!releaseOnExit) {
        // A run that ends by process.exit (a second Ctrl-C) leaves no lock behind.
        releaseOnExit = true;
        process.once("exit", () => {
          for (const folder of [...held.keys()]) releaseRunDir(folder);
        });
      }
      return;
    }
    const current = readLock(path);
    const stale = current ? !holderAlive(current) : Date.now() - mtimeOf(path) > UNREADABLE_LOCK_GRACE_MS;
    if (stale) {
      // Gone: its lock is taken over (read again just before, so a lock another process just took is not removed).
      if (readLock(path)?.nonce === current?.nonce) rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw heldByAnother(dir, current);
    sleep(20);
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Give up the run folder's lock (a no-op when this process does not hold it). */
export function releaseRunDir(dir: string): void {
  const nonce = held.get(dir);
  if (!nonce) return;
  held.delete(dir);
  const path = join(dir, RUN_LOCK_FILE);
  if (readLock(path)?.nonce === nonce) rmSync(path, { force: true });
}

/**
 * Remove the lock this process left in a folder after ending its run by force (the thread that
 * claimed it was stopped, so it could not release it itself).
 */
export function releaseAbandonedLock(runDir: string): void {
  const path = join(runDir, RUN_LOCK_FILE);
  if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
}
