import { appendFileSync, readFileSync } from "node:fs";
import { terminal as t } from "../report/terminal.js";
import { displayPath } from "../text/display-path.js";
import { redact } from "../text/redact.js";
import type { CliIo } from "./io.js";

/** The "Written:" list a command that writes reports ends with. */
export function writtenList(files: string[]): string {
  return `Written:\n${files.map((file) => t`  ${displayPath(file)}`).join("\n")}\n`;
}

/** Append report.md to `$GITHUB_STEP_SUMMARY` when it is set. */
export function appendStepSummary(io: Pick<CliIo, "env" | "stderr">, markdownFile: string): void {
  const target = io.env.GITHUB_STEP_SUMMARY;
  if (!target) return;
  try {
    appendFileSync(target, `${redact(readFileSync(markdownFile, "utf8"))}\n`);
  } catch (error) {
    io.stderr(`${t`warning: cannot append to GITHUB_STEP_SUMMARY: ${(error as Error).message}`}\n`);
  }
}
