import { readFileSync, statSync, type Stats } from "node:fs";
import { InputError } from "../errors.js";
import { lineColumnAt } from "./line-column.js";

/**
 * The largest text file read whole. V8 cannot hold a string much past 512 MiB; a dataset that large
 * belongs in a folder of smaller .jsonl files.
 */
export const MAX_TEXT_FILE_BYTES = 512 * 1024 * 1024;

export function kindOf(stats: Stats): string {
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/** The encoding a byte-order mark or NUL-interleaved text gives away, when it is not UTF-8. */
export function foreignEncoding(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return bytes[2] === 0 && bytes[3] === 0 ? "UTF-32 (little-endian)" : "UTF-16 (little-endian)";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "UTF-16 (big-endian)";
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return "UTF-32 (big-endian)";
  const head = bytes.subarray(0, 4096);
  let nul = 0;
  for (const byte of head) if (byte === 0) nul++;
  // Text in UTF-16 without a mark has a NUL in every other byte; UTF-8 text has none.
  return head.length >= 4 && nul >= head.length / 4 ? "UTF-16 or UTF-32 (no byte-order mark)" : undefined;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Where the first byte that does not start or continue a UTF-8 sequence is (the length when none is found). */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return bytes.length;
}

/**
 * Read a UTF-8 text file, dropping a byte-order mark. A missing, unreadable or special file, one too
 * large to read whole, another encoding and invalid UTF-8 are InputErrors naming the file (and the
 * line and column of the first invalid byte).
 */
export function readText(file: string): string {
  let bytes: Buffer;
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!stats.isFile()) throw new InputError([{ file, message: `expected a regular file, found ${kindOf(stats)}` }]);
    if (stats.size > MAX_TEXT_FILE_BYTES) {
      throw new InputError([
        {
          file,
          message: `file is ${Math.round(stats.size / 1024 / 1024)} MiB; files over 512 MiB cannot be read whole: split it into a folder of .jsonl files`,
        },
      ]);
    }
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file or folder"
        : code === "EISDIR"
          ? "expected a file, found a folder"
          : `cannot read (${code ?? String(error)})`;
    throw new InputError([{ file, message: reason }]);
  }
  const encoding = foreignEncoding(bytes);
  if (encoding) throw new InputError([{ file, message: `file is encoded in ${encoding}; save it as UTF-8` }]);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    if (offset >= bytes.length) throw new InputError([{ file, message: "invalid UTF-8; save the file as UTF-8" }]);
    const before = bytes.subarray(0, offset).toString("utf8");
    const { line, column } = lineColumnAt(before, before.length);
    const shown = `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")}`;
    throw new InputError([
      { file, line, message: `invalid UTF-8: byte ${shown} at column ${column}; save the file as UTF-8` },
    ]);
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
