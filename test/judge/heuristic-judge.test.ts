import { describe, expect, it } from "vitest";
import { judgeCoverageLexically } from "../../src/judge/heuristic/coverage.js";
import { createHeuristicJudge } from "../../src/judge/heuristic/heuristic-judge.js";
import { findJunk } from "../../src/judge/heuristic/junk-rules.js";
import { HeuristicJudgeSchema } from "../../src/schema/bench-config.js";
import type { Candidate } from "../../src/schema/candidate.js";
import { makeCandidate } from "../fixtures/candidate.js";
import { ConversationSchema } from "../../src/schema/conversation.js";
import { GoldenMemorySchema } from "../../src/schema/golden.js";

const settings = HeuristicJudgeSchema.parse({ provider: "heuristic" });
const conversation = ConversationSchema.parse({
  id: "c1",
  scope: { namespace: "user:alice" },
  turns: [
    { id: "t0", speaker: "system", role: "system", text: "You are a helpful assistant. Remember user preferences." },
    { id: "t1", speaker: "Alice", role: "user", text: "I work at Stripe as a backend engineer." },
    { id: "t2", speaker: "assistant", role: "assistant", text: "I'm an AI assistant, I love helping with code." },
    { id: "t3", speaker: "Alice", role: "user", text: "I love hiking. I think I might like sushi, not sure." },
    {
      id: "t4",
      speaker: "Alice",
      role: "user",
      text: "My wife Chioma is a chef. Here is the error: TypeError: x is undefined",
    },
  ],
});

const candidate = (overrides: Partial<Candidate>): Candidate =>
  makeCandidate({ text: "Alice works at Stripe", object: "Stripe", confidence: 0.7, entities: [], ...overrides });

const golden = (id: string, text: string, evidence: string[], subject = "Alice") =>
  GoldenMemorySchema.parse({ id, conversation_id: "c1", text, subject, evidence });

describe("heuristic coverage", () => {
  it("covers a paraphrase and never a different object", () => {
    const verdicts = judgeCoverageLexically(
      conversation,
      [golden("g1", "Alice works at Stripe as a backend engineer", ["t1"]), golden("g2", "Alice likes jazz", ["t3"])],
      [
        candidate({}),
        candidate({ text: "Alice likes hiking", predicate: "likes", object: "hiking", evidence: ["t3"] }),
      ],
      settings,
    );
    // g1: {work, stripe, backend, engin} of which the candidate carries {work, stripe}: 2/4 = 0.5 ≥ 0.5 with overlapping evidence.
    expect(verdicts[0]).toEqual({
      golden_id: "g1",
      covered: true,
      candidate_indexes: [0],
      score: 0.5,
      method: "evidence+lexical",
    });
    // g2: "hiking" is not in the golden text, so the shared "like" earns nothing.
    expect(verdicts[1]).toMatchObject({ golden_id: "g2", covered: false, candidate_indexes: [], method: "none" });
  });

  it("asks more of a candidate whose evidence does not overlap", () => {
    const memory = golden("g1", "Alice has a wife named Chioma who cooks", ["t4"]);
    const match = candidate({ text: "Alice has wife Chioma", predicate: "has_wife", object: "Chioma" });
    // {wife, name, chioma, cook}, of which the candidate carries {wife, chioma}: 0.5, enough only with overlapping evidence.
    expect(judgeCoverageLexically(conversation, [memory], [{ ...match, evidence: ["t4"] }], settings)[0]?.method).toBe(
      "evidence+lexical",
    );
    expect(judgeCoverageLexically(conversation, [memory], [{ ...match, evidence: ["t1"] }], settings)[0]?.method).toBe(
      "none",
    );
    const fuller = { ...match, text: "Alice's wife Chioma cooks" };
    // {wife, chioma, cook}: 0.75 ≥ 0.6 without overlap.
    expect(judgeCoverageLexically(conversation, [memory], [{ ...fuller, evidence: ["t1"] }], settings)[0]?.method).toBe(
      "lexical",
    );
    const weak = { ...match, text: "Alice knows Chioma somehow from somewhere", predicate: "knows", object: "Chioma" };
    // {chioma} of {wife, name, chioma, cook}: 0.25 < 0.5.
    expect(judgeCoverageLexically(conversation, [memory], [{ ...weak, evidence: ["t4"] }], settings)[0]?.covered).toBe(
      false,
    );
  });

  it("does not let a fragment cover the whole memory, however many fragments there are", () => {
    const memory = golden("g1", "Alice works at Stripe as a backend engineer on the ledger team", ["t1"]);
    // {work, stripe, backend, engin, ledger, team}: each fragment carries a third
    const fragments = [
      candidate({ text: "Alice works at Stripe", predicate: "works_at", object: "Stripe" }),
      candidate({ text: "Alice is a backend engineer", predicate: "job_title", object: "backend engineer" }),
      candidate({ text: "Alice is on the ledger team", predicate: "team", object: "ledger team" }),
    ];
    const [verdict] = judgeCoverageLexically(conversation, [memory], fragments, settings);
    expect(verdict).toMatchObject({ covered: false, score: 0.333 });
    const whole = candidate({
      text: "Alice works at Stripe as a backend engineer on the ledger team",
      object: "Stripe",
    });
    expect(judgeCoverageLexically(conversation, [memory], [whole], settings)[0]?.covered).toBe(true);
  });

  it("reads a third-person paraphrase of a first-person statement as the same fact", () => {
    const memory = golden("g1", "I'm hiking the Pacific Crest Trail", ["t1"]);
    const paraphrase = candidate({
      text: "Alice hikes the Pacific Crest Trail",
      predicate: "hikes",
      object: "Pacific Crest Trail",
    });
    expect(judgeCoverageLexically(conversation, [memory], [paraphrase], settings)[0]).toMatchObject({
      covered: true,
      score: 1,
    });
  });

  it("does not drop a name that is the object here but a subject elsewhere", () => {
    const memories = [
      golden("g1", "Alice's wife is Chioma", ["t4"]),
      golden("g2", "Chioma is a chef", ["t4"], "Chioma"),
    ];
    const verdicts = judgeCoverageLexically(
      conversation,
      memories,
      [candidate({ text: "Alice has wife Chioma", object: "Chioma", evidence: ["t4"] })],
      settings,
    );
    expect(verdicts.map((v) => v.covered)).toEqual([true, false]);
  });
});

describe("heuristic junk rules", () => {
  it.each([
    [
      "about_assistant",
      candidate({
        subject: "assistant",
        text: "assistant loves helping with code",
        object: "helping with code",
        evidence: ["t2"],
      }),
    ],
    [
      "about_assistant",
      candidate({ text: "Alice likes helping with code", object: "helping with code", evidence: ["t2"] }),
    ],
    [
      "restated_instructions",
      candidate({ text: "Alice wants the system prompt followed", object: "system prompt", evidence: ["t1"] }),
    ],
    [
      "restated_instructions",
      candidate({ text: "Alice prefers preferences", object: "preferences", evidence: ["t0"] }),
    ],
    [
      "tool_dump",
      candidate({ text: "Alice has TypeError: x is undefined", object: "TypeError: x is undefined", evidence: ["t4"] }),
    ],
    ["no_context", candidate({ text: "Alice likes it", object: "it", evidence: ["t3"] })],
    ["chit_chat", candidate({ text: "Alice plans going to bed", object: "bed", evidence: ["t3"] })],
    ["over_broad", candidate({ text: "Alice likes everything", object: "everything", evidence: ["t3"] })],
    ["hallucinated", candidate({ text: "Alice works at Google", object: "Google", evidence: ["t1"] })],
    ["hallucinated", candidate({ text: "Alice works at Google", object: "Google", evidence: [] })],
    ["hallucinated", candidate({ text: "Alice likes sushi", object: "sushi", evidence: ["t3"] })],
  ])("flags %s", (category, junk) => {
    expect(findJunk(junk, conversation, [])?.category).toBe(category);
  });

  it("judges a memory without evidence against the conversation, never as hallucinated for the missing field alone", () => {
    expect(
      findJunk(candidate({ text: "Alice works at Stripe", object: "Stripe", evidence: [] }), conversation, []),
    ).toBeUndefined();
    expect(
      findJunk(candidate({ text: "Alice has a wife, Chioma", object: "Chioma", evidence: ["t9"] }), conversation, []),
    ).toBeUndefined(); // cites no turn that exists
    expect(
      findJunk(candidate({ text: "Alice works at Google", object: "Google", evidence: [] }), conversation, [])?.reason,
    ).toBe("its object is not in the turns that support it");
  });

  it("flags a repeat of an earlier candidate as a duplicate, and passes plain facts", () => {
    expect(findJunk(candidate({}), conversation, [candidate({ text: "Alice works at Stripe." })])?.category).toBe(
      "duplicate",
    );
    expect(findJunk(candidate({}), conversation, [])).toBeUndefined();
    expect(
      findJunk(candidate({ text: "Alice likes hiking", object: "hiking", evidence: ["t3"] }), conversation, []),
    ).toBeUndefined();
  });

  it.each([
    ["another form of the word", "Alice goes on hikes", "hikes"],
    ["the speaker's name for 'my'", "Alice's wife is Chioma", "Alice's wife Chioma"],
    ["a third-person pronoun", "Her wife Chioma is a chef", "her wife Chioma"],
  ])("does not call a faithful third-person paraphrase hallucinated: %s", (_label, text, object) => {
    expect(findJunk(candidate({ text, object, evidence: ["t3", "t4"] }), conversation, [])).toBeUndefined();
  });
});

describe("heuristic judge", () => {
  const judge = createHeuristicJudge(settings);
  const candidates = [
    candidate({}),
    candidate({ text: "Alice likes sushi", object: "sushi", evidence: ["t3"] }),
    candidate({ text: "Alice likes it", object: "it", evidence: ["t3"] }),
    candidate({ text: "Alice works at Stripe", object: "Stripe", evidence: [], confidence: 0.2 }),
  ];
  const input = { conversation, golden: [], candidates };

  it("says plainly that it is a heuristic", () => {
    expect(judge.kind).toBe("heuristic");
    expect(judge.description).toContain("not an LLM");
  });

  it("rates usefulness from junk rules and structure; useful means 4 or 5", async () => {
    const verdicts = await judge.usefulness(input);
    expect(verdicts.map((v) => [v.rating, v.useful])).toEqual([
      [5, true],
      [2, false], // hallucinated: the turns only speculate about it
      [1, false], // no context
      [2, false], // duplicate of the first
    ]);
    expect(verdicts[0]?.reason).toBe("specific, supported, standalone");
    expect(verdicts[1]?.reason).toBe("junk (hallucinated): the turns only speculate about it");
  });

  it("classifies only the sampled candidates", async () => {
    const verdicts = await judge.junk(input, [0, 2]);
    expect(verdicts).toEqual([
      { candidate_index: 0, junk: false, category: null, reason: "no junk rule applies" },
      { candidate_index: 2, junk: true, category: "no_context", reason: 'object "it" means nothing out of context' },
    ]);
  });
});

describe("heuristic usefulness rules", () => {
  const judge = createHeuristicJudge(settings);
  const talk = ConversationSchema.parse({
    id: "c2",
    scope: { namespace: "user:sam" },
    turns: [
      { id: "t1", speaker: "Sam", role: "user", text: "I'm 28 — wait no, 29, my birthday was last week." },
      { id: "t2", speaker: "Sam", role: "user", text: "My sister Emma is visiting. Every Sunday I call my parents." },
      { id: "t3", speaker: "assistant", role: "assistant", text: "Nice!" },
      {
        id: "t4",
        speaker: "Sam",
        role: "user",
        text: "oops, Ella, not Emma. I hate this language sometimes, but I love R.",
      },
    ],
  });
  const rate = async (overrides: Partial<Candidate>) =>
    (
      await judge.usefulness({
        conversation: talk,
        golden: [],
        candidates: [candidate({ subject: "Sam", ...overrides })],
      })
    )[0]!;

  it.each([
    [
      "a value taken back in the same turn",
      { text: "Sam is aged 28", predicate: "age", object: "28", evidence: ["t1"] },
      'superseded: the turn takes "28" back right after saying it',
    ],
    [
      "a value a later turn negates",
      { text: "Sam has sister Emma", predicate: "has_sister", object: "Emma", evidence: ["t2"] },
      'superseded: a later turn (t4) says it is not "Emma"',
    ],
    [
      'a memory that says "my"',
      { text: "Sam routinely call my parents", predicate: "habit", object: "call my parents", evidence: ["t2"] },
      'not self-contained: says "my" where a later reader needs who',
    ],
    [
      "an object that repeats the subject",
      { text: "Sam is named Sam", predicate: "name", object: "Sam", evidence: ["t1"] },
      "says nothing: its object only repeats the subject",
    ],
  ])("finds %s not useful", async (_label, overrides, reason) => {
    const verdict = await rate(overrides);
    expect(verdict.useful).toBe(false);
    expect(verdict.reason).toContain(reason);
  });

  it.each([
    [
      "a clause in the object",
      {
        text: "Sam dislikes R but loves Python",
        predicate: "dislikes",
        object: "R but loves Python",
        evidence: ["t4"],
      },
      "object is not atomic",
    ],
    [
      "a demonstrative object",
      {
        text: "Sam dislikes this language sometimes",
        predicate: "dislikes",
        object: "this language sometimes",
        evidence: ["t4"],
      },
      "object points at something only the conversation explains",
    ],
  ])("takes a point off for %s, still useful on its own", async (_label, overrides, reason) => {
    const verdict = await rate(overrides);
    expect(verdict.rating).toBe(4);
    expect(verdict.reason).toBe(reason);
  });

  it("passes the corrected value and a memory that states its own negation", async () => {
    expect(
      (await rate({ text: "Sam has sister Ella", predicate: "has_sister", object: "Ella", evidence: ["t4"] })).useful,
    ).toBe(true);
    expect((await rate({ text: "Sam is aged 29", predicate: "age", object: "29", evidence: ["t1"] })).useful).toBe(
      true,
    );
  });

  it("never reads the extractor's confidence", async () => {
    const low = await rate({
      text: "Sam loves R",
      predicate: "likes",
      object: "R",
      evidence: ["t4"],
      confidence: 0.05,
    });
    const high = await rate({
      text: "Sam loves R",
      predicate: "likes",
      object: "R",
      evidence: ["t4"],
      confidence: 0.99,
    });
    expect(low).toEqual(high);
  });
});
