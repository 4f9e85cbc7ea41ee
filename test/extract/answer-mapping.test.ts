import { describe, expect, it } from "vitest";
import { AnswerShapeError, mapAnswer } from "../../src/extract/answer-mapping.js";
import { AnswerMappingSchema, type AnswerMapping } from "../../src/schema/custom-prompt.js";

const mapping = (value: unknown): AnswerMapping => AnswerMappingSchema.parse(value);

const FACTS = mapping({
  memories: "facts",
  fields: {
    text: "fact",
    type: "category",
    subject: "entity",
    predicate: "relation",
    object: "value",
    confidence: "score",
    evidence: "source_turns",
  },
});

describe("mapAnswer", () => {
  it.each([
    [
      "a facts list with numeric evidence",
      FACTS,
      {
        facts: [
          {
            fact: "Ann lives in Leeds",
            category: "fact",
            entity: "Ann",
            relation: "lives_in",
            value: "Leeds",
            score: 0.9,
            source_turns: [4, 5],
          },
        ],
      },
      [
        {
          text: "Ann lives in Leeds",
          type: "fact",
          subject: "Ann",
          predicate: "lives_in",
          object: "Leeds",
          confidence: 0.9,
          evidence: [4, 5],
        },
      ],
    ],
    [
      "a top-level array with comma-separated evidence, a prefix and defaults",
      mapping({
        memories: ".",
        fields: { text: "memory", evidence: "turns" },
        defaults: { type: "fact", confidence: 0.7 },
        evidence_prefix: "turn-",
      }),
      [
        {
          memory: "Bob has a daughter",
          subject: "Bob",
          predicate: "has_daughter",
          object: "Ella",
          turns: "turn-t1, turn-t3,",
          extra: "dropped",
        },
      ],
      [
        {
          text: "Bob has a daughter",
          type: "fact",
          subject: "Bob",
          predicate: "has_daughter",
          object: "Ella",
          confidence: 0.7,
          evidence: ["t1", "t3"],
        },
      ],
    ],
    [
      "a nested result.items list with dotted field paths, values left as found",
      mapping({
        memories: "result.items",
        fields: { subject: "triple.s", predicate: "triple.p", object: "triple.o", evidence: "source.turn" },
        defaults: { confidence: 0.5 },
      }),
      {
        result: {
          items: [
            {
              text: "x",
              type: "event",
              triple: { s: "Cy", p: "visits", o: 2027 },
              confidence: "0.8",
              source: { turn: 12 },
            },
            "not an object",
          ],
        },
      },
      [
        {
          text: "x",
          type: "event",
          subject: "Cy",
          predicate: "visits",
          object: 2027,
          confidence: "0.8",
          evidence: [12],
        },
        "not an object",
      ],
    ],
    [
      "the bench's own names, with no evidence and a null type",
      mapping({}),
      { memories: [{ text: "y", type: null, subject: "A", predicate: "p", object: "o", confidence: 1 }] },
      [{ text: "y", type: null, subject: "A", predicate: "p", object: "o", confidence: 1 }],
    ],
  ])("maps %s", (_name, map, answer, memories) => {
    expect(mapAnswer(answer, map)).toEqual({ memories });
  });

  it.each([
    [FACTS, { result: [] }, 'no list at "facts" in the answer: the answer is an object with keys result'],
    [FACTS, { facts: "none" }, 'no list at "facts" in the answer: found a string there'],
    [
      mapping({ memories: "result.items" }),
      { result: { items: {} } },
      'no list at "result.items" in the answer: found an empty object there',
    ],
    [mapping({ memories: "." }), { facts: [] }, "the answer is not a list: found an object with keys facts"],
  ])("throws AnswerShapeError when the list is not where the mapping says (%#)", (map, answer, message) => {
    expect(() => mapAnswer(answer, map)).toThrow(new AnswerShapeError(message));
  });
});
