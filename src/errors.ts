import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** One thing wrong with an input, located as precisely as the format allows. */
export interface Problem {
  file: string;
  /** 1-based line, for JSONL records and wherever the path could be located in JSON or YAML. */
  line?: number;
  /** 1-based column on that line, where the format allows it (a template placeholder). */
  column?: number;
  /** Field path inside the record or document, e.g. `turns[2].id`. */
  path?: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  const where =
    problem.line === undefined
      ? problem.file
      : problem.column === undefined
        ? `${problem.file}:${problem.line}`
        : `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

const MAX_LISTED_PROBLEMS = 20;

/** Bad input: a file that does not parse or validate, or inputs that contradict each other. Exit code 2. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(readonly problems: Problem[]) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(formatProblem);
    const more = problems.length > MAX_LISTED_PROBLEMS ? [`… and ${problems.length - MAX_LISTED_PROBLEMS} more`] : [];
    super([...listed, ...more].join("\n"));
    this.name = "InputError";
  }
}

/** Bad usage of the command line or the library (missing option, conflicting flags). Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The run could not finish (provider unreachable, output not writable). Exit code 3. */
export class RunError extends Error {
  readonly exitCode = 3;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RunError";
  }
}

export function exitCodeOf(error: unknown): number {
  if (
    error instanceof InputError ||
    error instanceof UsageError ||
    error instanceof RunError ||
    error instanceof InterruptedError
  )
    return error.exitCode;
  return 3;
}

/** Throw an InputError when any problem was collected. */
export function throwIfProblems(problems: Problem[]): void {
  if (problems.length > 0) throw new InputError(problems);
}

/** The run was stopped by a signal; what finished is kept. Exit code 130 (SIGINT) or 143 (SIGTERM). */
export class InterruptedError extends Error {
  readonly exitCode: number;
  constructor(
    readonly signal: string,
    message: string,
  ) {
    super(message);
    this.name = "InterruptedError";
    this.exitCode = signal === "SIGTERM" ? 143 : 130;
  }
}

/**
 * What a failed file-system write means, in words: a read-only file system, a permission, a full
 * disk, a file where a folder should be; else the system's own message. With `path`, the folder the
 * write was for: a recursive mkdir on a read-only mount fails with a bare ENOENT, so the nearest
 * folder that exists is asked what it refuses.
 */
export function fileSystemCause(error: unknown, path?: string): string {
  let code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" && path !== undefined) code = refusalAbove(path) ?? code;
  switch (code) {
    case "EROFS":
      return "it is on a read-only file system (EROFS)";
    case "EACCES":
    case "EPERM":
      return `permission denied: it (or a folder above it) is not writable by this user (${code})`;
    case "ENOSPC":
      return "no space left on the device (ENOSPC)";
    case "EDQUOT":
      return "the disk quota is exhausted (EDQUOT)";
    case "ENOTDIR":
    case "EEXIST":
      return `a file stands where a folder should be (${code})`;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Why the nearest existing folder at or above `path` refuses writes (its error code), if it does. */
function refusalAbove(path: string): string | undefined {
  for (let at = resolve(path); ; at = dirname(at)) {
    if (existsSync(at)) {
      try {
        if (!statSync(at).isDirectory()) return "ENOTDIR";
        accessSync(at, constants.W_OK);
        return undefined;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code;
      }
    }
    if (dirname(at) === at) return undefined;
  }
}
