import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { formatPath, locatePath } from "../../load/locate.js";
import { isDirectory, readText } from "../../load/read-text.js";
import { InputError, type Problem } from "../../errors.js";

/** Where `program` would be found: a path resolved against `cwd`, or the first match on PATH. */
export function locateProgram(program: string, cwd: string): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes("/")) return executable(resolve(cwd, program)) ? resolve(cwd, program) : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, program))) return join(dir, program);
  }
  return undefined;
}

/**
 * A program whose file or working folder does not exist is refused before any work starts, located
 * in the config file at `at` (the settings object holding `command` and `cwd`, e.g. `["extractor"]`);
 * given a folder instead of a file, the problem names the folder and the path, without a line.
 */
export function checkProgram(
  command: readonly string[],
  cwd: string,
  configPath: string,
  at: ReadonlyArray<PropertyKey>,
): void {
  const where = (path: ReadonlyArray<PropertyKey>): Problem => {
    const problem: Problem = { file: configPath, path: formatPath([...at, ...path]), message: "" };
    const line =
      existsSync(configPath) && !isDirectory(configPath)
        ? locatePath(readText(configPath), [...at, ...path])
        : undefined;
    if (line !== undefined) problem.line = line;
    return problem;
  };
  if (!isDirectory(cwd)) {
    throw new InputError([{ ...where(["cwd"]), message: `working folder ${cwd} does not exist` }]);
  }
  const program = command[0]!;
  if (!locateProgram(program, cwd)) {
    const message = program.includes("/")
      ? `program ${resolve(cwd, program)} does not exist or is not executable`
      : `program "${program}" is not on PATH`;
    throw new InputError([{ ...where(["command", 0]), message }]);
  }
}
