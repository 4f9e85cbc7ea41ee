import { readFileSync, statSync } from "node:fs";
import { InputError } from "../errors.js";

/** Read a UTF-8 file, dropping a byte-order mark; a missing or unreadable file is an InputError. */
export function readText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file or folder" : code === "EISDIR" ? "expected a file, found a folder" : `cannot read (${code ?? String(error)})`;
    throw new InputError([{ file, message: reason }]);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
