import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importLocomo, parseLocomoDate } from "../../../src/load/import/import-locomo.js";
import { RetrievalQueryLineSchema } from "../../../src/schema/retrieval-query.js";
import { REPO } from "../../cli/helpers.js";

const FILE = join(REPO, "test/fixtures/import/locomo-mini.json");

describe("LoCoMo import", () => {
  const result = importLocomo(FILE);

  it("makes each session a conversation with the dia_ids as turn ids and the session date on every turn", () => {
    expect(result.conversations.map((c) => [c.id, c.scope.namespace, c.turns.map((t) => t.id)])).toEqual([
      ["conv-t1/session_1", "locomo:conv-t1", ["D1:1", "D1:2", "D1:3", "D1:4", "D1:5"]],
      ["conv-t1/session_2", "locomo:conv-t1", ["D2:1", "D2:2"]],
    ]);
    expect(new Set(result.conversations[0]!.turns.map((t) => t.ts))).toEqual(new Set(["2023-05-08T13:56:00"]));
    expect(result.conversations[1]!.turns[0]!.ts).toBe("2023-06-27T10:37:00");
  });

  it("knows both speakers as entities", () => {
    expect(result.conversations[0]!.entities).toEqual([
      { id: "ent-caroline", name: "Caroline", aliases: [] },
      { id: "ent-melanie", name: "Melanie", aliases: [] },
    ]);
  });

  it("keeps an image's caption with its turn", () => {
    const turn = result.conversations[0]!.turns.find((t) => t.id === "D1:4")!;
    expect(turn.text).toBe("Look what I painted last week! [image: a photo of a painting of a sunset over a lake]");
    expect(result.conversations[0]!.metadata?.images).toEqual({
      "D1:4": {
        caption: "a photo of a painting of a sunset over a lake",
        url: ["https://example.invalid/sunset.jpg"],
        query: "painting sunset",
      },
    });
  });

  it("turns observations into golden memories about their speaker, with evidence in all three shapes", () => {
    expect(result.golden.map((m) => [m.id, m.subject, m.evidence])).toEqual([
      ["conv-t1/session_1/caroline-1", "Caroline", ["D1:3"]],
      ["conv-t1/session_1/caroline-2", "Caroline", ["D1:5", "D1:4"]],
      ["conv-t1/session_1/melanie-1", "Melanie", ["D1:2"]],
      ["conv-t1/session_1/melanie-2", "Melanie", ["D1:4", "D1:2"]],
      ["conv-t1/session_2/melanie-1", "Melanie", ["D2:1"]],
      ["conv-t1/session_2/caroline-1", "Caroline", ["D2:2"]],
    ]);
  });

  it("reports what it could not import with counts and examples", () => {
    expect(result.skipped).toEqual([
      { reason: "empty fact", count: 1, examples: ["conv-t1/session_1 Caroline #3"] },
      {
        reason: "evidence dia_id in no turn of its session (dropped)",
        count: 2,
        examples: ["conv-t1/session_1 Melanie #3: D1:9", "conv-t1/session_2 Melanie #1: D2:7"],
      },
      {
        reason: "observation left with no evidence turn",
        count: 1,
        examples: ['conv-t1/session_1 Melanie #3: "Melanie mentioned a trip that is not in this session."'],
      },
      {
        reason: "question evidence dia_id in no turn of its sample (dropped)",
        count: 1,
        examples: ["conv-t1/q3: D9:9"],
      },
      {
        reason: "question with no evidence turn in its sample (no query written)",
        count: 2,
        examples: ["conv-t1/q3", "conv-t1/q4"],
      },
    ]);
  });

  it("makes each question with evidence a query of its sample's scope, evidence dia_ids as relevant turns across sessions", () => {
    expect(result.queries).toEqual([
      {
        id: "conv-t1/q1",
        scope: "locomo:conv-t1",
        text: "Where does Caroline volunteer?",
        relevant_turns: ["D1:3"],
        category: "1",
      },
      {
        id: "conv-t1/q2",
        scope: "locomo:conv-t1",
        text: "What did Melanie paint, and when did she talk about it again?",
        relevant_turns: ["D1:4", "D2:1"],
        category: "2",
      },
    ]);
    // Every query reads back through its own schema, and names the scope its sample's conversations have.
    for (const query of result.queries!) expect(RetrievalQueryLineSchema.parse(query)).toEqual(query);
    // The questions left out have no evidence turn in the sample: "D9:9" names none, and the adversarial one cites nothing.
    expect(new Set(result.conversations.map((c) => c.scope.namespace))).toEqual(
      new Set(result.queries!.map((q) => q.scope)),
    );
  });

  it("refuses a question that is not an object with a question text, naming where it is", () => {
    const dir = mkdtempSync(join(tmpdir(), "eb-locomo-"));
    const file = join(dir, "bad.json");
    const sample = JSON.parse(readFileSync(FILE, "utf8"))[0];
    sample.qa[1] = { answer: "no question" };
    writeFileSync(file, JSON.stringify([sample], null, 2));
    expect(() => importLocomo(file)).toThrow(
      /bad\.json:13: \[0\]\.qa\[1\]\.question: missing required field: expected string/,
    );
  });

  it.each([
    ["1:56 pm on 8 May, 2023", "2023-05-08T13:56:00"],
    ["12:09 am on 13 September, 2023", "2023-09-13T00:09:00"],
    ["12:30 pm on 1 Jan, 2024", "2024-01-01T12:30:00"],
    ["9:05 AM on 30 October 2022", "2022-10-30T09:05:00"],
    ["yesterday", undefined],
    ["13:10 pm on 8 May, 2023", undefined],
  ])("parses the session date %j", (text, expected) => {
    expect(parseLocomoDate(text)).toBe(expected);
  });
});
