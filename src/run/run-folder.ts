import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, parse } from "node:path";
import { UsageError } from "../errors.js";
import { RUN_LOG_FILE } from "../schema/constants.js";
import { endsFinishedRun } from "../schema/run-end.js";
import type { RunEnd } from "../schema/run-log.js";
import { processRunning } from "../process-running.js";
import { displayPath } from "../text/display-path.js";
import { readLogEnds } from "./log-line.js";
import { notWritable } from "./not-writable.js";
import { heldByAnother, holderAlive, lockRunDir, readLock, RUN_LOCK_FILE, releaseRunDir } from "./run-lock.js";

export { notWritable } from "./not-writable.js";
export { releaseAbandonedLock, releaseRunDir, RUN_LOCK_FILE } from "./run-lock.js";

/** The nearest folder at or above `dir` that exists, and whether it is one (a file where a folder should be is bad usage). */
function checkFolderPath(dir: string): void {
  for (let at = dir; ; at = parse(at).dir) {
    let isFolder: boolean;
    try {
      isFolder = statSync(at).isDirectory();
    } catch {
      if (at === parse(at).dir) return;
      continue;
    }
    if (!isFolder) {
      throw new UsageError(
        at === dir
          ? `${displayPath(dir)} is a file, not a folder: --out names the run folder to create`
          : `${displayPath(dir)} cannot be created: ${displayPath(at)} is a file`,
      );
    }
    return;
  }
}

/**
 * Create and claim a folder to write a new run into (its lock taken: see RUN_LOCK_FILE). A folder
 * given explicitly (`--out`) must be new or empty; no folder may already hold a run log, nor be
 * written by another run. The caller releases it with releaseRunDir (or the process's exit does).
 */
export function claimRunDir(runDir: string, explicit: boolean): string {
  checkFolderPath(runDir);
  const logPath = join(runDir, RUN_LOG_FILE);
  const refuseLogged = () =>
    new UsageError(
      runLogFinished(runDir)
        ? `${runDir} already holds a run (${RUN_LOG_FILE}); choose another --out`
        : `${runDir} holds a run that did not finish: resume it with --resume ${displayPath(runDir)}, or choose another --out`,
    );
  if (existsSync(logPath)) {
    const holder = readLock(join(runDir, RUN_LOCK_FILE));
    if (holder && holderAlive(holder) && !runLogFinished(runDir)) throw heldByAnother(runDir, holder);
    throw refuseLogged();
  }
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (error) {
    throw notWritable(runDir, error);
  }
  lockRunDir(runDir, false);
  try {
    if (existsSync(logPath)) throw refuseLogged();
    // The lock, and another run's lock being made (it will find ours), do not make the folder "not empty".
    if (explicit && readdirSync(runDir).some((name) => !name.startsWith(RUN_LOCK_FILE))) {
      throw new UsageError(`${runDir} is not empty; choose an empty or new folder for --out`);
    }
  } catch (error) {
    releaseRunDir(runDir);
    throw error;
  }
  return runDir;
}

/**
 * Claim the folder of an interrupted run to resume it: refused while another process writes it;
 * a killed run's process still dying is waited for, so the resume reads the log only once no record
 * can be added to it any more.
 */
export function claimResumedRunDir(runDir: string): void {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) return; // openResume says what is missing
  lockRunDir(runDir, true);
  removeTemporaryFiles(runDir);
}

/** A report being written when its process was killed: `<file>.<pid>.tmp`. */
const TEMPORARY = /\.(\d+)\.tmp$/;

/**
 * Remove the temporary files a run folder holds from reports that were being written when their
 * process ended: those of `pid`, or (without it) of every process that is no longer running.
 */
export function removeTemporaryFiles(runDir: string, pid?: number): void {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return;
  }
  for (const name of names) {
    const writer = Number(TEMPORARY.exec(name)?.[1] ?? Number.NaN);
    if (Number.isNaN(writer) || (pid !== undefined ? writer !== pid : processRunning(writer))) continue;
    rmSync(join(runDir, name), { force: true });
  }
}

/** Whether the run log of a folder ends with the run_end of a finished run (false when there is none, or the run was stopped). */
export function runLogFinished(runDir: string): boolean {
  const logPath = join(runDir, RUN_LOG_FILE);
  if (!existsSync(logPath)) return false;
  const { last } = readLogEnds(logPath);
  return last?.kind === "run_end" && endsFinishedRun(last as RunEnd);
}
