import { isAbsolute, relative } from "node:path";

/** A path as reports show it: relative to the working folder when inside it, so reports do not leak home paths. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
