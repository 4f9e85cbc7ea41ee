import { mkdtempSync, openSync, closeSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { forEachLine, readBytesAt, type LineAt } from "../../src/load/line-reader.js";

const MiB = 1 << 20;

/** The lines forEachLine reads from `content`, each with the bytes its position points at. */
function read(content: Buffer): Array<{ text: string; at: LineAt; back: string }> {
  const file = join(mkdtempSync(join(tmpdir(), "eb-lines-")), "file.txt");
  writeFileSync(file, content);
  const lines: Array<{ text: string; at: LineAt; back: string }> = [];
  const fd = openSync(file, "r");
  try {
    forEachLine(file, (text, at) =>
      lines.push({ text, at, back: readBytesAt(fd, at.offset, at.bytes).toString("utf8") }),
    );
  } finally {
    closeSync(fd);
  }
  return lines;
}

describe("forEachLine", () => {
  it.each<[string, string]>([
    [
      "lines around the chunk boundaries, one longer than three chunks",
      ["a".repeat(MiB - 3), "b".repeat(3 * MiB + 17), "c", "d".repeat(MiB), ""].join("\n"),
    ],
    [
      "a CRLF split across a chunk boundary, and no newline at the end",
      `${"x".repeat(MiB - 1)}\r\n${"é".repeat(MiB)}\r\nlast`,
    ],
    ["a byte-order mark and empty lines", "\uFEFFfirst\n\n\nsecond\n"],
  ])("%s: every line whole, with the place it sits in the file", (_label, text) => {
    const lines = read(Buffer.from(text, "utf8"));
    const expected = text.replace(/^\uFEFF/, "").split("\n");
    if (expected.at(-1) === "") expected.pop();
    expect(lines.map((l) => l.text)).toEqual(expected.map((line) => line.replace(/\r$/, "")));
    expect(lines.map((l) => l.at.line)).toEqual(expected.map((_, i) => i + 1));
    // The position points at the line as written, its \r included.
    expect(lines.map((l) => l.back)).toEqual(expected);
  });
});
