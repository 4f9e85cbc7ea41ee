import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors.js";
import { firstInvalidUtf8, foreignEncoding, kindOf } from "./read-text.js";

/** Where a line sits in its file: 1-based line number, byte offset and byte length (without the newline). */
export interface LineAt {
  line: number;
  offset: number;
  bytes: number;
}

const CHUNK_BYTES = 1 << 20;
// ignoreBOM keeps a byte-order mark inside the file as a character (JSON then rejects it, naming it).
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function openRegular(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file or folder"
        : code === "EISDIR"
          ? "expected a file, found a folder"
          : `cannot read (${code ?? String(error)})`;
    throw new InputError([{ file, message: reason }]);
  }
  const stats = fstatSync(fd);
  if (stats.isDirectory() || !stats.isFile()) {
    closeSync(fd);
    throw new InputError([
      {
        file,
        message: stats.isDirectory()
          ? "expected a file, found a folder"
          : `expected a regular file, found ${kindOf(stats)}`,
      },
    ]);
  }
  return fd;
}

/** The text of one line's bytes; invalid UTF-8 is an InputError naming the line and column. */
function decodeLine(bytes: Buffer, file: string, line: number): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const column = bytes.subarray(0, offset).toString("utf8").length + 1;
    const shown =
      offset < bytes.length
        ? `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")}`
        : "at the end of the line";
    throw new InputError([
      { file, line, message: `invalid UTF-8: byte ${shown} at column ${column}; save the file as UTF-8` },
    ]);
  }
}

/**
 * Read a UTF-8 text file line by line, in chunks, so a file of any size streams in constant memory.
 * A byte-order mark is skipped; a trailing `\r` is dropped; another encoding or invalid UTF-8 is an
 * InputError naming the file (and line and column). `onLine` gets each line's text and position, and
 * its bytes as in the file (without the newline): a view of a buffer the next read reuses, so a
 * caller that keeps them copies them.
 */
export function forEachLine(file: string, onLine: (text: string, at: LineAt, bytes: Buffer) => void): void {
  const fd = openRegular(file);
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    // The start of a line that runs past the chunk: copied (the chunk buffer is reused by the next
    // read), and joined once its end is read, so a line of any length is copied twice at most.
    let pending: Buffer[] = [];
    let position = 0; // file offset of the next line's first byte
    let line = 1;
    let first = true;
    /** One line's bytes, without its newline (a trailing `\r` is dropped from the text, counted in `bytes`). */
    const emit = (bytes: Buffer) => {
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
      onLine(decodeLine(bytes.subarray(0, end), file, line), { line, offset: position, bytes: bytes.length }, bytes);
      line++;
      position += bytes.length + 1;
    };
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      let data = chunk.subarray(0, read);
      if (first && read > 0) {
        first = false;
        const encoding = foreignEncoding(data);
        if (encoding) throw new InputError([{ file, message: `file is encoded in ${encoding}; save it as UTF-8` }]);
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
          data = data.subarray(3);
          position = 3;
        }
      }
      if (read === 0) {
        if (pending.length > 0) emit(Buffer.concat(pending));
        return;
      }
      let start = 0;
      let newline = data.indexOf(10);
      if (pending.length > 0 && newline !== -1) {
        emit(Buffer.concat([...pending, data.subarray(0, newline)]));
        pending = [];
        start = newline + 1;
        newline = data.indexOf(10, start);
      }
      for (; newline !== -1; newline = data.indexOf(10, start)) {
        emit(data.subarray(start, newline));
        start = newline + 1;
      }
      if (start < data.length) pending.push(Buffer.from(data.subarray(start)));
    }
  } finally {
    closeSync(fd);
  }
}

/** Read `bytes` bytes at `offset` of an open file. */
export function readBytesAt(fd: number, offset: number, bytes: number): Buffer {
  const buffer = Buffer.allocUnsafe(bytes);
  let done = 0;
  while (done < bytes) {
    const read = readSync(fd, buffer, done, bytes - done, offset + done);
    if (read === 0) break;
    done += read;
  }
  return buffer.subarray(0, done);
}

/** Files kept open for reading records back by byte range; closed together. */
export class OpenFiles {
  private readonly fds = new Map<string, number>();

  fd(file: string): number {
    let fd = this.fds.get(file);
    if (fd === undefined) this.fds.set(file, (fd = openRegular(file)));
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
