import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunError } from "../errors.js";
import { renderMarkdown } from "../report/render-markdown.js";
import type { BenchReport } from "../schema/report.js";

/** Write a file whole or not at all: a temporary sibling renamed into place. */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
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
