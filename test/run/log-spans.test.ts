import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BulkWriter, SpanReader, type Span } from "../../src/run/log-spans.js";
import { tempDir } from "../cli/helpers.js";

/** Lines of varied length, some longer than a read window, as a file and the spans of its lines. */
function linesFile(): { path: string; lines: string[]; spans: Span[] } {
  const lines = Array.from({ length: 3_000 }, (_, i) => `${i}:${"é".repeat((i * 7919) % 1_500)}`);
  lines.splice(1_500, 0, `long:${"x".repeat(3 << 20)}`);
  const path = join(tempDir("eb-spans-"), "lines.txt");
  writeFileSync(path, `${lines.join("\n")}\n`);
  const spans: Span[] = [];
  let offset = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line);
    spans.push({ offset, bytes });
    offset += bytes + 1;
  }
  return { path, lines, spans };
}

describe("SpanReader and BulkWriter", () => {
  it("read back every span in order across read windows, and write them back whole in any sizes", () => {
    const { path, lines, spans } = linesFile();
    const reader = new SpanReader(path);
    const out = join(tempDir("eb-spans-"), "copy.txt");
    const writer = new BulkWriter(out);
    const kept: string[] = [];
    try {
      spans.forEach((span, i) => {
        if (i % 3 === 1) return; // skipped spans: the window moves past them
        const bytes = reader.read(span);
        expect(bytes.toString("utf8")).toBe(lines[i]);
        kept.push(lines[i]!);
        writer.write(bytes);
        writer.write("\n");
      });
    } finally {
      reader.close();
    }
    writer.close();
    expect(readFileSync(out, "utf8")).toBe(`${kept.join("\n")}\n`);
  });

  it("says so when a span lies past the end of the file", () => {
    const { path, spans } = linesFile();
    const reader = new SpanReader(path);
    const last = spans.at(-1)!;
    try {
      expect(() => reader.read({ offset: last.offset, bytes: last.bytes + 10 })).toThrow(`${path}: ended before byte`);
    } finally {
      reader.close();
    }
  });
});
