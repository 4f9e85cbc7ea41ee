import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JudgeAnswerError, createLlmJudge } from "../../src/judge/llm/llm-judge.js";
import type { JudgeInput } from "../../src/judge/judge.js";
import { LlmJudgeSchema } from "../../src/schema/bench-config.js";
import { ConversationSchema } from "../../src/schema/conversation.js";
import { GoldenMemorySchema } from "../../src/schema/golden.js";
import { makeCandidate } from "../fixtures/candidate.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer, type Scripted } from "../support/model-server.js";
import { testRuntime } from "../support/model-runtime.js";

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer(fakeModel);
});
afterAll(() => server.close());

const conversation = ConversationSchema.parse({
  id: "c1",
  scope: { namespace: "user:alice" },
  turns: [
    { id: "t1", speaker: "Alice", role: "user", text: "I work at Acme as a designer." },
    { id: "t2", speaker: "Alice", role: "user", text: "My sister Jo lives in Oslo." },
  ],
});
const golden = [
  GoldenMemorySchema.parse({ id: "g1", conversation_id: "c1", text: "Alice works at Acme", evidence: ["t1"] }),
  GoldenMemorySchema.parse({ id: "g2", conversation_id: "c1", text: "Alice's sister lives in Oslo", evidence: ["t2"] }),
];
const candidates = [
  makeCandidate({ text: "Alice works at Acme", object: "Acme", evidence: ["t1"] }),
  makeCandidate({ text: "Jo is based in Oslo", subject: "Jo", predicate: "based_in", object: "Oslo", evidence: [] }),
  makeCandidate({
    text: "The assistant greeted Alice",
    subject: "assistant",
    predicate: "greeted",
    object: "Alice",
    evidence: [],
  }),
];
const input: JudgeInput = { conversation, golden, candidates };

async function judge(options: { pairwise?: boolean; cache?: "off" | "read-write"; maxInputTokens?: number } = {}) {
  const settings = LlmJudgeSchema.parse({
    provider: "anthropic",
    model: "claude-opus-5-5",
    base_url: server.anthropicUrl,
    pairwise: options.pairwise ?? false,
    max_input_tokens: options.maxInputTokens ?? 16_000,
  });
  const base = testRuntime();
  const runtime = testRuntime({ cache: { ...base.options.cache, mode: options.cache ?? "off" } });
  return createLlmJudge(settings, await runtime.client("judge", settings));
}

/** Serve these answers next, then the fake model. */
function script(...answers: Scripted[]): () => number {
  const start = server.requests.length;
  server.setResponder((request, index) => answers[index - start] ?? fakeModel(request));
  return () => server.requests.length - start;
}

describe("the LLM judge", () => {
  it("rates usefulness 1–5 with a reason; 4 and 5 are useful", async () => {
    const verdicts = await (await judge()).usefulness(input);
    expect(verdicts).toEqual([
      { candidate_index: 0, rating: 4, useful: true, reason: "specific" },
      { candidate_index: 1, rating: 4, useful: true, reason: "specific" },
      { candidate_index: 2, rating: 2, useful: false, reason: "specific" },
    ]);
  });

  it("rates many candidates at most batch_size to a call, usefulness and coverage from the same calls", async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      makeCandidate({ text: `Alice likes item ${i}`, object: `item ${i}` }),
    );
    const calls = script();
    const llm = await judge();
    const manyInput = { ...input, candidates: many };
    const verdicts = await llm.usefulness(manyInput);
    expect(verdicts.map((v) => v.candidate_index)).toEqual(many.map((_, i) => i));
    expect(calls()).toBe(3); // 10 memories a call
    await llm.coverage(manyInput);
    expect(calls()).toBe(3); // answered by the same calls
  });

  it("asks for the reason before every score, and never shows the extractor's confidence", async () => {
    script();
    const llm = await judge({ pairwise: true });
    await llm.usefulness(input);
    await llm.junk(input, [0, 1]);
    await llm.pairwise!({ conversation, baseline: candidates.slice(0, 1), candidate: candidates });
    const sent = server.requests.slice(-4);
    for (const request of sent) {
      const schema = (request.body.output_config as { format: { schema: unknown } }).format.schema;
      const text = JSON.stringify(schema);
      // In every verdict object the reason comes first among the properties.
      for (const match of text.matchAll(/"properties":\{"(\w+)"/g))
        if (match[1] !== "memories" && match[1] !== "verdicts")
          expect(["index", "golden_id", "reason"]).toContain(match[1]);
      expect(text.indexOf('"reason"')).toBeLessThan(
        Math.max(text.indexOf('"rating"'), text.indexOf('"junk"'), text.indexOf('"winner"'), text.indexOf('"score"')),
      );
      expect(request.user).not.toMatch(/confidence/);
    }
  });

  it("shows the golden memory's alternatives and scores coverage 0 / 1 / 2, counting only 2 as covered", async () => {
    const withAlternatives = GoldenMemorySchema.parse({
      id: "g3",
      conversation_id: "c1",
      text: "Alice designs for Acme",
      alternatives: ["Alice is a designer at Acme"],
      evidence: ["t9"],
    });
    const answer = JSON.stringify({
      memories: candidates.map((_, index) => ({ index, reason: "ok", rating: 4 })),
      coverage: [
        { golden_id: "g2", reason: "only part of it", score: 1, candidate_indexes: [1] },
        { golden_id: "g3", reason: "same fact", score: 2, candidate_indexes: [0] },
      ],
    });
    script(answer);
    const verdicts = await (await judge()).coverage({ ...input, golden: [golden[0]!, golden[1]!, withAlternatives] });
    expect(server.requests.at(-1)!.user).toContain(
      '[g3] Alice designs for Acme (alternatives: "Alice is a designer at Acme")',
    );
    expect(verdicts.slice(1)).toEqual([
      { golden_id: "g2", covered: false, candidate_indexes: [], score: 0.5, method: "llm", partial: true },
      { golden_id: "g3", covered: true, candidate_indexes: [0], score: 1, method: "llm" },
    ]);
  });

  it("puts the conversation first, in the same words for every task, marked for the prompt cache when long enough", async () => {
    const long = ConversationSchema.parse({
      ...conversation,
      turns: [
        ...conversation.turns,
        ...Array.from({ length: 60 }, (_, i) => ({
          id: `x${i}`,
          speaker: "Alice",
          role: "user",
          text: `Detail ${i}: ${"words ".repeat(12)}`,
        })),
      ],
    });
    script();
    const llm = await judge({ pairwise: true });
    const longInput = { ...input, conversation: long };
    await llm.usefulness(longInput);
    await llm.junk(longInput, [0]);
    await llm.pairwise!({ conversation: long, baseline: candidates.slice(0, 1), candidate: candidates });
    const sent = server.requests.slice(-4);
    const systems = new Set(sent.map((r) => JSON.stringify(r.body.system)));
    expect(systems.size).toBe(1);
    const firstBlocks = sent.map(
      (r) => (r.body.messages as Array<{ content: Array<{ text: string; cache_control?: unknown }> }>)[0]!.content[0]!,
    );
    expect(new Set(firstBlocks.map((b) => b.text)).size).toBe(1);
    expect(firstBlocks[0]!.text.startsWith("Conversation c1:")).toBe(true);
    expect(firstBlocks.every((b) => JSON.stringify(b.cache_control) === '{"type":"ephemeral"}')).toBe(true);
    // A short conversation is not worth a breakpoint.
    script();
    await (await judge()).usefulness(input);
    expect(
      (server.requests.at(-1)!.body.messages as Array<{ content: Array<{ cache_control?: unknown }> }>)[0]!.content[0]!
        .cache_control,
    ).toBeUndefined();
  });

  it("matches coverage cheaply where evidence overlaps and texts agree, and asks the model only for the rest", async () => {
    const calls = script();
    const verdicts = await (await judge()).coverage(input);
    expect(calls()).toBe(1);
    const asked = server.requests.at(-1)!.user;
    expect(asked).toContain("[g2] Alice's sister lives in Oslo");
    expect(asked).not.toContain("[g1]");
    expect(verdicts).toEqual([
      expect.objectContaining({ golden_id: "g1", covered: true, candidate_indexes: [0], method: "evidence+lexical" }),
      { golden_id: "g2", covered: true, candidate_indexes: [1], score: 1, method: "llm" },
    ]);
  });

  it("asks no coverage question when every golden memory matched cheaply", async () => {
    const calls = script();
    const verdicts = await (await judge()).coverage({ ...input, golden: [golden[0]!] });
    expect(calls()).toBe(1); // the usefulness ratings, with no golden memory to cover
    expect(server.requests.at(-1)!.user).not.toContain("Golden memories:");
    expect(verdicts[0]).toMatchObject({ covered: true, method: "evidence+lexical" });
  });

  it("classifies the sampled candidates as junk with a category, retrying an answer that fails validation", async () => {
    const invalid = JSON.stringify({ verdicts: [{ index: 2, junk: true, category: null, reason: "?" }] }); // no category
    const valid = JSON.stringify({
      verdicts: [{ index: 2, junk: true, category: "about_assistant", reason: "about the assistant" }],
    });
    const calls = script(invalid, valid);
    expect(await (await judge()).junk(input, [2])).toEqual([
      { candidate_index: 2, junk: true, category: "about_assistant", reason: "about the assistant" },
    ]);
    expect(calls()).toBe(2);
  });

  it("turns a verdict that fails validation twice into a judge error, never a pass", async () => {
    const incomplete = JSON.stringify({ memories: [{ index: 0, reason: "ok", rating: 5 }], coverage: [] });
    script(incomplete, "I think they are all fine");
    const error = await (await judge()).usefulness(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeAnswerError);
    expect((error as Error).message).toMatch(
      /judge assess c1: the answer is not JSON \(invalid_json, after a retry with the validation error\)/,
    );
  });

  it("judges a noise repeat afresh even when the first answer is cached", async () => {
    const llm = await judge({ cache: "read-write" });
    const calls = script();
    await llm.usefulness(input);
    await llm.usefulness(input);
    expect(calls()).toBe(1);
    await llm.usefulness(input, { repeat: 1 });
    expect(calls()).toBe(2);
  });

  it("compares pairwise in both orders: agreement names a winner, disagreement is a tie", async () => {
    const llm = await judge({ pairwise: true });
    const pair = { conversation, baseline: candidates.slice(0, 1), candidate: candidates.slice(0, 2) };
    const answer = (winner: string) => JSON.stringify({ reason: `${winner} wins`, winner });
    // The two orders go out together: answer each by which side it shows second.
    const candidateSecond = (user: string) => user.indexOf("Jo is based in Oslo") > user.indexOf("Set B:");
    server.setResponder((request) => answer(candidateSecond(request.user) ? "B" : "A"));
    expect(await llm.pairwise!(pair)).toEqual({
      winner: "candidate",
      consistent: true,
      first: "candidate",
      second: "candidate",
      reason: "B wins",
    });
    server.setResponder(() => answer("A"));
    expect(await llm.pairwise!(pair)).toMatchObject({
      winner: "tie",
      consistent: false,
      first: "baseline",
      second: "candidate",
    });
    const requests = server.requests.slice(-2);
    expect(requests.map((r) => candidateSecond(r.user)).sort()).toEqual([false, true]);
    server.setResponder(fakeModel);
  });

  it("shows a conversation too long for its budget by the turns the memories cite", async () => {
    const long = ConversationSchema.parse({
      ...conversation,
      turns: [
        ...conversation.turns,
        ...Array.from({ length: 40 }, (_, i) => ({
          id: `x${i}`,
          speaker: "Alice",
          role: "user",
          text: "filler ".repeat(20),
        })),
      ],
    });
    script();
    await (await judge({ maxInputTokens: 512 })).usefulness({
      ...input,
      conversation: long,
      candidates: candidates.slice(0, 1),
    });
    const asked = server.requests.at(-1)!.user;
    // The memory cites t1; the golden memory left to cover cites t2.
    expect(asked).toContain("Conversation c1 (too long to show whole; only the turns cited as evidence, 2 of 42):");
    expect(asked).toContain("[t1] Alice: I work at Acme as a designer.");
    expect(asked).not.toContain("[x0]");
    await (await judge()).usefulness({ ...input, conversation: long, candidates: candidates.slice(0, 1) });
    expect(server.requests.at(-1)!.user).toContain("[x39]");
    // A memory that cites no turn is judged against the whole conversation, whatever the budget.
    await (await judge({ maxInputTokens: 512 })).usefulness({
      ...input,
      conversation: long,
      candidates: candidates.slice(1, 2),
    });
    expect(server.requests.at(-1)!.user).toContain("[x39]");
    expect(server.requests.at(-1)!.user).toContain("cites no turn: judge it against the whole conversation");
  });

  it("offers pairwise only when the bench asks for it", async () => {
    expect((await judge()).pairwise).toBeUndefined();
  });
});
