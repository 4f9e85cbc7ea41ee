import { closeSync, fsyncSync, openSync, readlinkSync, renameSync, rmSync, symlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { RunError } from "../errors.js";
import { renderHtml } from "../report/html/render-html.js";
import { renderJunit } from "../report/render-junit.js";
import { renderMarkdown } from "../report/render-markdown.js";
import { sealReportJson } from "../report/report-json.js";
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
    rmSync(temporary, { force: true });
    throw new RunError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export interface WrittenFiles {
  json: string;
  markdown: string;
  html: string;
  junit: string;
}

/** Render every report format from the report, then write them into the run folder. */
export async function writeReports(runDir: string, report: BenchReport): Promise<WrittenFiles> {
  const files = {
    json: join(runDir, "report.json"),
    markdown: join(runDir, "report.md"),
    html: join(runDir, "report.html"),
    junit: join(runDir, "junit.xml"),
  };
  // Everything is rendered before anything is written: a renderer that throws leaves no half-updated folder.
  const contents: [string, string][] = [
    [files.json, sealReportJson(report)],
    [files.markdown, renderMarkdown(report)],
    [files.html, await renderHtml(report)],
    [files.junit, renderJunit(report)],
  ];
  for (const [path, content] of contents) writeFileAtomic(path, content);
  return files;
}

export const LATEST = "latest";

/**
 * Point `<output dir>/latest` at a run folder: a relative symlink swapped in atomically, or, where
 * symlinks cannot be made (some Windows setups), a small file holding the run folder's name.
 */
export function pointLatest(runDir: string): string {
  const parent = dirname(runDir);
  const target = basename(runDir);
  const link = join(parent, LATEST);
  const temporary = join(parent, `.${LATEST}.${process.pid}.tmp`);
  try {
    rmSync(temporary, { force: true });
    symlinkSync(target, temporary, "dir");
    renameSync(temporary, link);
  } catch {
    rmSync(temporary, { force: true });
    try {
      readlinkSync(link);
      rmSync(link, { force: true });
    } catch {
      // not a symlink (or absent): the file below replaces it
    }
    writeFileAtomic(link, `${target}\n`);
  }
  return link;
}
