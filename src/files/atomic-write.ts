import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { RunError } from "../errors.js";

/** Flush a folder's entries (the rename) to disk. */
function fsyncFolder(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    closeSync(fd);
  }
}

/**
 * Write a file whole or not at all: a temporary sibling, flushed to disk, renamed into place, then
 * the folder flushed. A crash at any point leaves either the previous file or the new one.
 */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, "w");
    try {
      const bytes = Buffer.from(content, "utf8");
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    fsyncFolder(dirname(path));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new RunError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
