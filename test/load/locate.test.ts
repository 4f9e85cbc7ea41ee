import { describe, expect, it } from "vitest";
import { formatPath, locatePath } from "../../src/load/locate.js";
import { jsonErrorOffset } from "../../src/load/parse-documents.js";

describe("jsonErrorOffset", () => {
  it.each([
    ['{"a":1}', undefined],
    ['[1, -2.5e3, true, false, null, "x\\"y\\u00e9", {"b": []}]', undefined],
    [' "s" \n', undefined],
    ['{"a" 1}', 5],
    ['{"a":1,}', 7],
    ["[1 2]", 3],
    ['{"scope"{"n":1}}', 8],
    ['{"a":"b\nc"}', 7],
    ["{} x", 3],
    ["[", 1],
    ["", 0],
  ])("%j → %s", (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    expect(offset === undefined).toBe(valid);
  });
});

describe("locatePath", () => {
  const yaml = ["# comment", "name: x", "buckets:", "  - 0", "  - 0.5", "dedupe:", "  enabled: yes", "empty:", ""].join(
    "\n",
  );

  it.each([
    [["name"], 2],
    [["buckets"], 3], // a block value is located at its key
    [["buckets", 1], 5],
    [["dedupe", "enabled"], 7],
    [["dedupe", "missing"], 6], // the deepest part that exists
    [["empty", "child"], 8],
    [[], 2],
  ])("%j → line %i", (path, line) => {
    expect(locatePath(yaml, path)).toBe(line);
  });

  it("locates elements and keys of a JSON array, also with CRLF line ends", () => {
    const json = '[\r\n  {"id": "a"},\r\n  {\r\n    "id": "b",\r\n    "turns": [{"text": 1}]\r\n  }\r\n]\r\n';
    expect(locatePath(json, [1])).toBe(3);
    expect(locatePath(json, [1, "turns", 0, "text"])).toBe(5);
  });

  it("locates the last of repeated JSON keys (the one JSON.parse keeps)", () => {
    expect(locatePath('{\n"a": 1,\n"a": "x"\n}', ["a"])).toBe(3);
  });

  it("is undefined for text that does not parse", () => {
    expect(locatePath("a: [1,\nb: 2", ["a"])).toBeUndefined();
  });
});

describe("formatPath", () => {
  it("quotes a field name holding a control character, so a problem stays on one line", () => {
    expect(formatPath(["turns", 2, "id"])).toBe("turns[2].id");
    expect(formatPath(["extractor", "max\ntokens"])).toBe('extractor["max\\ntokens"]');
    expect(formatPath(["a\u001b[2Jb"])).toBe('["a\\u001b[2Jb"]');
  });
});
