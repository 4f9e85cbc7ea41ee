import { readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../files/atomic-write.js";
import { renderHtml } from "../report/html/render-html.js";
import { renderJunit } from "../report/render-junit.js";
import { renderMarkdown } from "../report/render-markdown.js";
import { sealReportJson } from "../report/report-json.js";
import { LATEST } from "../schema/constants.js";
import type { BenchReport } from "../schema/report.js";
import { redact, redactValue } from "../text/redact.js";

export interface WrittenFiles {
  json: string;
  markdown: string;
  html: string;
  junit: string;
}

/**
 * Render every report format from the report and write each into the run folder, the quick ones
 * first (report.json, report.md, junit.xml) and report.html, which draws charts, last: a run stopped
 * while its reports are written keeps those that were done. Each file is written whole or not at all.
 * The report is redacted first (see `redact`), so no renderer can print a key or shorten one into a
 * half that it prints.
 */
export async function writeReports(runDir: string, report: BenchReport): Promise<WrittenFiles> {
  const files = {
    json: join(runDir, "report.json"),
    markdown: join(runDir, "report.md"),
    html: join(runDir, "report.html"),
    junit: join(runDir, "junit.xml"),
  };
  const shown = redactValue(report);
  writeFileAtomic(files.json, redact(sealReportJson(shown)));
  writeFileAtomic(files.markdown, redact(renderMarkdown(shown)));
  writeFileAtomic(files.junit, redact(renderJunit(shown)));
  writeFileAtomic(files.html, redact(await renderHtml(shown)));
  return files;
}

export { LATEST };

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
