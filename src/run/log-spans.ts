import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { RunError } from "../errors.js";
import { readBytesAt } from "../load/line-reader.js";

/** A stretch of a file's bytes: where it starts and how long it is. */
export interface Span {
  offset: number;
  bytes: number;
}

/** Bytes read at once by a SpanReader: spans sit close together and in order, so one read serves many. */
const WINDOW_BYTES = 1 << 20;

/**
 * Reads spans of a file in the order they sit in it, through a window that moves forward: a few reads
 * per megabyte instead of one per span. A returned buffer stays valid after the next read.
 */
export class SpanReader {
  private readonly fd: number;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "r");
  }

  read({ offset, bytes }: Span): Buffer {
    if (offset < this.windowStart || offset + bytes > this.windowStart + this.window.length) {
      this.windowStart = offset;
      this.window = readBytesAt(this.fd, offset, Math.max(bytes, WINDOW_BYTES));
      if (this.window.length < bytes)
        throw new RunError(`${this.path}: ended before byte ${offset + bytes}: the file changed while it was read`);
    }
    return this.window.subarray(offset - this.windowStart, offset - this.windowStart + bytes);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Bytes gathered before a BulkWriter writes them. */
const WRITE_BYTES = 1 << 20;

/**
 * Writes a new file from many small pieces, copied into a buffer of its own (a piece may be a view
 * of a read buffer about to be reused) and written a megabyte at a time; `close` makes it durable.
 */
export class BulkWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(WRITE_BYTES);
  private used = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  write(data: Buffer | string): void {
    const piece = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    if (this.used + piece.length > this.buffer.length) this.flush();
    if (piece.length > this.buffer.length) this.writeOut(piece);
    else this.used += piece.copy(this.buffer, this.used);
  }

  private flush(): void {
    this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(data: Buffer): void {
    try {
      for (let written = 0; written < data.length; )
        written += writeSync(this.fd, data, written, data.length - written);
    } catch (error) {
      throw new RunError(`cannot write ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Write what is left, make the file durable and close it. */
  close(): void {
    try {
      this.flush();
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }

  /** Close without caring whether the file is whole (it is about to be removed). */
  abandon(): void {
    closeSync(this.fd);
  }
}
