import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { RunError } from "../errors.js";
import { renderMarkdown } from "../report/render-markdown.js";
import type { BenchReport } from "../schema/report.js";

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
    throw new RunError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export interface WrittenFiles {
  json: string;
  markdown: string;
}

/** Render every report format from the report and write them into the run folder. */
export function writeReports(runDir: string, report: BenchReport): WrittenFiles {
  const files = { json: join(runDir, "report.json"), markdown: join(runDir, "report.md") };
  writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(files.markdown, renderMarkdown(report));
  return files;
}
