import { exitCodeOf, InputError, InterruptedError, RunError, UsageError } from "../errors.js";
import { escapeTerminalLines } from "../report/terminal.js";

/** What the command line prints for an error that ended a command, and the exit code it ends with. */
export function describeError(error: unknown): { code: number; text: string } {
  const commander = error as { code?: unknown; exitCode?: unknown };
  if (typeof commander.code === "string" && commander.code.startsWith("commander.")) {
    // Help and version exit 0; every other commander error is bad usage (commander printed it).
    return { code: commander.exitCode === 0 ? 0 : 2, text: "" };
  }
  // Messages quote data (file contents, paths, extractor stderr): control characters are shown, not acted on.
  const message = (text: string) => escapeTerminalLines(text);
  const text =
    error instanceof InterruptedError
      ? `${message(error.message)}\n`
      : error instanceof InputError
        ? `error: bad input\n${message(error.message)}\n`
        : error instanceof UsageError
          ? `error: ${message(error.message)}\n`
          : error instanceof RunError
            ? `error: the run could not finish: ${message(error.message)}\n`
            : `error: the run could not finish: ${message(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`;
  return { code: exitCodeOf(error), text };
}
