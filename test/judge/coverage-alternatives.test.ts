import { describe, expect, it } from "vitest";
import { judgeCoverageLexically } from "../../src/judge/heuristic/coverage.js";
import { HeuristicJudgeSchema } from "../../src/schema/bench-config.js";
import { ConversationSchema } from "../../src/schema/conversation.js";
import { GoldenMemorySchema, type GoldenMemory } from "../../src/schema/golden.js";
import { makeCandidate } from "../fixtures/candidate.js";

const settings = HeuristicJudgeSchema.parse({ provider: "heuristic" });
const conversation = ConversationSchema.parse({
  id: "c1",
  scope: { namespace: "user:alice" },
  turns: [
    { id: "t1", speaker: "Alice", role: "user", text: "I cycle to the office every day." },
    { id: "t2", speaker: "Alice", text: "ok" },
  ],
});
const candidate = makeCandidate({
  text: "Alice commutes by bike",
  predicate: "commutes_by",
  object: "bike",
  evidence: ["t2"],
});
const memory = (extra: Partial<GoldenMemory>): GoldenMemory =>
  GoldenMemorySchema.parse({
    id: "g1",
    conversation_id: "c1",
    text: "Alice cycles to work daily",
    subject: "Alice",
    evidence: ["t1"],
    ...extra,
  });

describe("alternative wordings of a golden memory", () => {
  it("count as covering it: the best score over the text and its alternatives", () => {
    const [without] = judgeCoverageLexically(conversation, [memory({})], [candidate], settings);
    expect(without).toMatchObject({ covered: false, score: 0 });
    const [withAlternative] = judgeCoverageLexically(
      conversation,
      [memory({ alternatives: ["Alice goes to work by bike", "Alice commutes by bike"] })],
      [candidate],
      settings,
    );
    expect(withAlternative).toMatchObject({ covered: true, candidate_indexes: [0], score: 1, method: "lexical" });
  });

  it("are validated like the text", () => {
    expect(
      GoldenMemorySchema.safeParse({
        id: "g1",
        conversation_id: "c1",
        text: "x",
        evidence: ["t1"],
        alternatives: [" "],
      }).success,
    ).toBe(false);
  });
});
