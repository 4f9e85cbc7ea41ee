import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { ConversationSet, indexGolden, loadConversations, loadGolden } from "../../src/load/load-inputs.js";
import { bad, good, inputErrorOf } from "./fixtures.js";

const temp = mkdtempSync(join(tmpdir(), "extractor-bench-load-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("loadConversations: good inputs", () => {
  const expected = loadConversations(good("conversations.jsonl"));

  it("loads the two conversations of the plain JSONL file", () => {
    expect(expected.map((c) => c.id)).toEqual(["conv-1", "conv-2"]);
    expect(expected[0]!.turns.map((t) => t.id)).toEqual(["t1", "t2", "t3"]);
    // Defaults are applied.
    expect(expected[0]!.entities).toEqual([]);
  });

  it.each([
    ["JSONL", "conversations.jsonl"],
    ["JSON array", "conversations.json"],
    ["JSONL with a BOM and CRLF line ends", "conversations-bom-crlf.jsonl"],
    ["a folder of one .jsonl and one .json file (other files ignored)", "dataset-folder"],
  ])("loads the same conversations from %s", (_, name) => {
    const loaded = loadConversations(good(name));
    expect(loaded).toEqual(expected);
  });

  it("keeps no BOM and no carriage return in the loaded text", () => {
    const raw = readFileSync(good("conversations-bom-crlf.jsonl"), "utf8");
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    expect(raw).toContain("\r\n");
    const loaded = loadConversations(good("conversations-bom-crlf.jsonl"));
    expect(JSON.stringify(loaded)).not.toMatch(/[\r\uFEFF]/);
  });
});

describe("loadGolden: good inputs", () => {
  it("loads golden memories whose conversations and evidence turns exist", () => {
    const golden = loadGolden(good("golden.jsonl"), loadConversations(good("conversations.jsonl")));
    expect(golden.map((g) => g.id)).toEqual(["g-1", "g-2", "g-3"]);
  });

  it("reads a conversation's memories back whole, however its lines lie in the file", () => {
    const conversations = loadConversations(good("conversations.jsonl"));
    const memory = (id: string, conversation: string, text: string) =>
      JSON.stringify({ id, conversation_id: conversation, text, evidence: ["t1"] });
    const far = " ".repeat(5000);
    // Together, interleaved, after blank lines and CRLF ends, far apart, and with multi-byte text.
    const lines = [
      memory("a1", "conv-1", "first"),
      memory("a2", "conv-1", "  second, trimmed  "),
      memory("b1", "conv-2", "other"),
      memory("a3", "conv-1", "third ✓ é"),
      "",
      memory("b2", "conv-2", "after a blank line"),
      far,
      memory("a4", "conv-1", "far after white space"),
      memory("b3", "conv-2", "last"),
    ];
    const file = join(temp, "golden-spread.jsonl");
    writeFileSync(file, `${lines.join("\r\n")}\n`);
    const set = indexGolden(file, ConversationSet.of(conversations));
    expect(set.forConversation("conv-1").map((g) => [g.id, g.text])).toEqual([
      ["a1", "first"],
      ["a2", "second, trimmed"],
      ["a3", "third ✓ é"],
      ["a4", "far after white space"],
    ]);
    expect(set.forConversation("conv-2").map((g) => g.id)).toEqual(["b1", "b2", "b3"]);
    set.files.close();
  });

  it("rejects every golden memory when the dataset is a different one", () => {
    const other = loadConversations(good("conversations.jsonl")).filter((c) => c.id !== "conv-1");
    expect(() => loadGolden(good("golden.jsonl"), other)).toThrow(InputError);
  });
});

describe("paths that are not record files", () => {
  it("rejects an empty dataset folder", async () => {
    const folder = join(temp, "empty-dataset");
    mkdirSync(folder);
    const error = await inputErrorOf(() => loadConversations(folder));
    expect(error.problems).toEqual([{ file: folder, message: "folder holds no .jsonl or .json file" }]);
    expect(error.message).toBe(`${folder}: folder holds no .jsonl or .json file`);
  });

  it("rejects a folder holding only other files", async () => {
    const folder = join(temp, "notes-only");
    mkdirSync(folder);
    writeFileSync(join(folder, "README.md"), "# notes\n");
    writeFileSync(join(folder, "conversations.txt"), "{}\n");
    const error = await inputErrorOf(() => loadConversations(folder));
    expect(error.problems[0]).toMatchObject({ file: folder, message: "folder holds no .jsonl or .json file" });
  });

  it.each([
    ["dataset", () => loadConversations(bad("does-not-exist.jsonl")), bad("does-not-exist.jsonl")],
    ["dataset folder", () => loadConversations(bad("no-such-folder")), bad("no-such-folder")],
    ["golden set", () => loadGolden(bad("no-golden.jsonl"), []), bad("no-golden.jsonl")],
  ])("rejects a %s that does not exist, naming it", async (_, run, file) => {
    const error = await inputErrorOf(run);
    expect(error.problems).toEqual([{ file, message: "no such file or folder" }]);
    expect(error.message).toBe(`${file}: no such file or folder`);
    expect(error.exitCode).toBe(2);
  });
});

describe("problem collection", () => {
  it("reports every bad line of a file, in line order, and keeps going after a syntax error", async () => {
    const file = join(temp, "several.jsonl");
    const lines = readFileSync(good("conversations.jsonl"), "utf8").split("\n").filter(Boolean);
    const noSpeaker = JSON.parse(lines[1]!);
    delete noSpeaker.turns[1].speaker;
    writeFileSync(file, `${[lines[0], "{oops", "", JSON.stringify(noSpeaker), lines[0]].join("\n")}\n`);
    const error = await inputErrorOf(() => loadConversations(file));
    expect(error.problems.map((p) => [p.line, p.path])).toEqual([
      [2, undefined],
      [4, "turns[1].speaker"],
      [5, "id"],
    ]);
    expect(error.message.split("\n")).toEqual([
      `${file}:2: invalid JSON: expected property name or '}' (column 2)`,
      `${file}:4: turns[1].speaker: missing required field: expected string`,
      `${file}:5: id: duplicate conversation id "conv-1" (first at ${file}:1)`,
    ]);
  });

  it("lists at most 20 problems in the message and counts the rest", async () => {
    const file = join(temp, "many.jsonl");
    writeFileSync(file, Array.from({ length: 25 }, () => "not json").join("\n"));
    const error = await inputErrorOf(() => loadConversations(file));
    expect(error.problems).toHaveLength(25);
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[19]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:20: invalid JSON`));
    expect(lines[20]).toBe("… and 5 more");
  });
});
