import { fileSystemCause, RunError, UsageError } from "../errors.js";
import { displayPath } from "../text/display-path.js";

/** Why a folder cannot be written, named by its cause rather than a bare error code. */
export function notWritable(dir: string, error: unknown): RunError | UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const shown = displayPath(dir);
  if (code === "ENOTDIR" || code === "EEXIST")
    return new UsageError(`${shown} cannot be a run folder: it or a folder above it is a file`);
  return new RunError(`cannot write the run folder ${shown}: ${fileSystemCause(error, dir)}`, { cause: error });
}
