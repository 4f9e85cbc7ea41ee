import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { importGoldenSet, parseColumnFlags } from "../../../src/golden/import.js";
import { importCsv } from "../../../src/load/import/import-csv.js";
import { importJsonl } from "../../../src/load/import/import-jsonl.js";
import { tempDir, REPO } from "../../cli/helpers.js";

const FIXTURES = join(REPO, "test/fixtures/import");
const fixture = (name: string) => join(FIXTURES, name);

/** What every layout of the same five turns must import to. */
const EXPECTED_CONVERSATIONS = [
  {
    id: "c-anna",
    scope: { namespace: "import:c-anna" },
    entities: [{ id: "ent-anna", name: "Anna", aliases: [] }],
    turns: [
      {
        id: "t1",
        speaker: "Anna",
        role: "user",
        text: "Hi, I'm Anna — I moved to Lisbon last spring.",
        ts: "2026-01-02T10:00:00Z",
      },
      {
        id: "t2",
        speaker: "assistant",
        role: "assistant",
        text: 'Welcome! How is "Lisbon" treating you?',
        ts: "2026-01-02T10:00:05Z",
      },
      {
        id: "t3",
        speaker: "Anna",
        role: "user",
        text: "Great.\nI started learning Portuguese, too.",
        ts: "2026-01-02T10:01:00Z",
      },
    ],
  },
  {
    id: "c-ben",
    scope: { namespace: "import:c-ben" },
    entities: [{ id: "ent-ben", name: "Ben", aliases: [] }],
    turns: [
      {
        id: "t1",
        speaker: "Ben",
        role: "user",
        text: "I'm allergic to peanuts; please remember that.",
        ts: "2026-01-03T08:00:00Z",
      },
      {
        id: "t2",
        speaker: "assistant",
        role: "assistant",
        text: "Noted, I'll keep that in mind.",
        ts: "2026-01-03T08:00:04Z",
      },
    ],
  },
];

const EXPECTED_GOLDEN = [
  {
    id: "c-anna/m1",
    conversation_id: "c-anna",
    text: "Anna lives in Lisbon",
    type: "fact",
    subject: "Anna",
    predicate: "lives_in",
    object: "Lisbon",
    evidence: ["t1"],
  },
  {
    id: "c-anna/m2",
    conversation_id: "c-anna",
    text: "Anna is learning Portuguese",
    type: "fact",
    subject: "Anna",
    predicate: "learns",
    object: "Portuguese",
    evidence: ["t3", "t1"],
  },
  {
    id: "c-ben/m1",
    conversation_id: "c-ben",
    text: "Ben is allergic to peanuts",
    type: "fact",
    subject: "Ben",
    predicate: "allergic_to",
    object: "peanuts",
    evidence: ["t1"],
  },
];

const TSV_FLAGS = [
  "conversation_id=conv",
  "turn_id=id",
  "speaker=from",
  "text=body",
  "timestamp=ts",
  "memory=fact",
  "memory_type=fact_type",
  "memory_subject=fact_subject",
  "memory_predicate=fact_predicate",
  "memory_object=fact_object",
  "memory_evidence=fact_evidence",
];

describe("importing the same turns from every layout", () => {
  it.each([
    {
      layout: "CSV with the default column names, quoted fields and an embedded newline",
      from: "csv" as const,
      file: "turns-standard.csv",
    },
    {
      layout: "CSV with ';', CRLF and a mapping file",
      from: "csv" as const,
      file: "turns-semicolon.csv",
      mapping: "mapping-semicolon.yaml",
    },
    {
      layout: "TSV with a byte-order mark, mapped by flags",
      from: "csv" as const,
      file: "turns-bom.tsv",
      delimiter: "\\t",
      columns: TSV_FLAGS,
    },
    {
      layout: "JSONL, one turn per record, dotted paths",
      from: "jsonl" as const,
      file: "turns-flat.jsonl",
      mapping: "mapping-flat.yaml",
    },
    {
      layout: "JSONL, one conversation per record with its turns",
      from: "jsonl" as const,
      file: "conversations-nested.jsonl",
      mapping: "mapping-nested.yaml",
    },
  ])("$layout", ({ from, file, mapping, delimiter, columns }) => {
    const out = tempDir("eb-import-");
    const outcome = importGoldenSet({
      from,
      file: fixture(file),
      out,
      ...(mapping ? { mapping: fixture(mapping) } : {}),
      ...(delimiter ? { delimiter } : {}),
      ...(columns ? { columns } : {}),
    });
    expect(outcome.result.conversations).toEqual(EXPECTED_CONVERSATIONS);
    expect(outcome.result.golden).toEqual(EXPECTED_GOLDEN);
    expect(outcome.result.skipped).toEqual([]);
  });
});

describe("known entities", () => {
  it.each([
    {
      layout: "CSV, a cell per row",
      from: "csv" as const,
      file: "people.csv",
      text: "conversation_id,speaker,role,text,people\nc1,Anna,user,Hi,Tom; Anna Silva\nc1,Bot,assistant,Hello,\nc1,Anna,user,Bye,Porto\n",
    },
    {
      layout: "JSONL, an array on the conversation record",
      from: "jsonl" as const,
      file: "people.jsonl",
      turns: "messages",
      columns: ["conversation_id=id"],
      text: `${JSON.stringify({
        id: "c1",
        people: ["Tom", "Anna Silva", "Porto"],
        messages: [
          { speaker: "Anna", role: "user", text: "Hi" },
          { speaker: "Bot", role: "assistant", text: "Hello" },
          { speaker: "Anna", role: "user", text: "Bye" },
        ],
      })}\n`,
    },
  ])(
    "are the names the mapping gives, then the user-role speakers, never the assistant ($layout)",
    ({ from, file, text, turns, columns }) => {
      const dir = tempDir("eb-import-");
      writeFileSync(join(dir, file), text);
      const outcome = importGoldenSet({
        from,
        file: join(dir, file),
        out: join(dir, "out"),
        columns: ["entities=people", ...(columns ?? [])],
        ...(turns ? { turns } : {}),
      });
      expect(outcome.result.conversations[0]!.entities).toEqual([
        { id: "ent-tom", name: "Tom", aliases: [] },
        { id: "ent-anna-silva", name: "Anna Silva", aliases: [] },
        { id: "ent-porto", name: "Porto", aliases: [] },
        { id: "ent-anna", name: "Anna", aliases: [] },
      ]);
    },
  );

  it("without roles, leave out speakers named assistant or system", () => {
    const dir = tempDir("eb-import-");
    const csv = join(dir, "plain.csv");
    writeFileSync(
      csv,
      "conversation_id,speaker,text\nc1,Anna,hello\nc1,Assistant,hi Anna\nc1,system,note\nc1,anna,again\n",
    );
    const outcome = importGoldenSet({ from: "csv", file: csv, out: join(dir, "out") });
    expect(outcome.result.conversations[0]!.entities).toEqual([{ id: "ent-anna", name: "Anna", aliases: [] }]);
  });
});

describe("bad CSV rows", () => {
  it("reports every bad row with its line number and imports nothing", () => {
    const file = fixture("turns-bad.csv");
    let error: unknown;
    try {
      importCsv(file, { columns: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => [p.line, p.path ?? "", p.message])).toEqual([
      [3, "", "missing speaker"],
      [4, "role", 'expected one of "user" | "assistant" | "system", got "robot"'],
      [5, "", "Invalid Record Length: columns length is 5, got 4"],
      [6, "turn_id", 'duplicate turn id "t1" in conversation "c1" (first at line 2)'],
      [8, "", "Quote Not Closed: the parsing is finished with an opening quote"],
    ]);
  });

  it("names a mapped column the header lacks, with the columns it has", () => {
    expect(() => importCsv(fixture("turns-standard.csv"), { columns: { text: "message" } })).toThrow(
      /turns-standard\.csv:1: no column "message" for text \(the header has: conversation_id, turn_id, speaker, role, text, timestamp, memory/,
    );
  });

  it("counts turns with empty text as not imported, with where they are", () => {
    const dir = tempDir("eb-import-");
    const csv = join(dir, "empty.csv");
    writeFileSync(csv, "conversation_id,speaker,text\nc1,Anna,hello\nc1,Anna,\nc1,Anna,  \n");
    const outcome = importGoldenSet({ from: "csv", file: csv, out: join(dir, "out") });
    expect(outcome.result.conversations[0]!.turns).toEqual([{ id: "t1", speaker: "Anna", text: "hello" }]);
    expect(outcome.result.skipped).toEqual([
      { reason: "turn with empty text", count: 2, examples: [`${csv}:3`, `${csv}:4`] },
    ]);
  });
});

describe("bad JSONL records", () => {
  it("names the line of a record whose turns are not an array, and of invalid JSON", () => {
    const dir = tempDir("eb-import-");
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, `${JSON.stringify({ conversation: { id: "c1" }, messages: "hello" })}\n{"conversation": \n`);
    expect(() => importJsonl(file, { columns: { conversation_id: "conversation.id" }, turns: "messages" })).toThrow(
      `${file}:2: invalid JSON: unexpected end of line (column 17); a JSONL record must fit on one line`,
    );
    writeFileSync(file, `${JSON.stringify({ conversation: { id: "c1" }, messages: "hello" })}\n`);
    expect(() => importJsonl(file, { columns: { conversation_id: "conversation.id" }, turns: "messages" })).toThrow(
      `${file}:1: messages: expected an array of turns`,
    );
  });
});

describe("column flags", () => {
  it("parses field=column pairs and refuses unknown fields", () => {
    expect(parseColumnFlags(["text=Message body", "speaker=from"])).toEqual({ text: "Message body", speaker: "from" });
    expect(() => parseColumnFlags(["txt=body"])).toThrow(/unknown field \(expected one of: conversation_id, turn_id/);
    expect(() => parseColumnFlags(["text"])).toThrow(/--column expects field=column, got "text"/);
  });
});
