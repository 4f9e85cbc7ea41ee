import { describe, expect, it } from "vitest";
import { STATEMENT_CUE, STATEMENT_PATTERNS } from "../../src/extract/extractors/rules/patterns.js";
import { extractRuleCandidates, splitClauses, subjectFor } from "../../src/extract/extractors/rules/rules-extractor.js";
import { ConversationSchema, type Conversation } from "../../src/schema/conversation.js";
import { RulesOptionsSchema } from "../../src/schema/extractor-config.js";

const conversation = (texts: string[]): Conversation =>
  ConversationSchema.parse({
    id: "c1",
    scope: { namespace: "user:alice" },
    entities: [{ id: "ent-alice", name: "Alice Chen", aliases: ["Alice"] }],
    turns: texts.flatMap((text, i) => [
      { id: `t${2 * i + 1}`, speaker: "Alice", role: "user", text },
      { id: `t${2 * i + 2}`, speaker: "assistant", role: "assistant", text: "I love helping! I work at OpenAI." },
    ]),
  });

const extract = (texts: string[], options: Record<string, unknown> = {}) => {
  const c = conversation(texts);
  return extractRuleCandidates(c, c.turns, RulesOptionsSchema.parse(options));
};

const facts = (texts: string[], options: Record<string, unknown> = {}) =>
  extract(texts, options).map((c) => `${c.type} ${c.predicate}(${c.subject}, ${c.object}) @${c.confidence}`);

describe("rules extractor", () => {
  it.each([
    [
      "I work at Stripe as a backend engineer.",
      ["fact works_at(Alice, Stripe) @0.7", "fact job_title(Alice, backend engineer) @0.7"],
    ],
    [
      "I live in Portland with my husband Raj.",
      ["fact lives_in(Alice, Portland) @0.7", "relation has_husband(Alice, Raj) @0.7"],
    ],
    [
      "I love hiking but I hate flying.",
      ["preference likes(Alice, hiking) @0.8", "preference dislikes(Alice, flying) @0.7"],
    ],
    ["I'm allergic to penicillin.", ["fact allergic_to(Alice, penicillin) @0.8"]],
    ["I have asthma.", ["fact has_condition(Alice, asthma) @0.7"]],
    ["I'm planning to visit Japan in April.", ["event plans_to(Alice, visit Japan in April) @0.7"]],
    ["Every Sunday I call my parents.", ["fact habit(Alice, call my parents) @0.8"]],
    ["I drive a 2015 Subaru Outback.", ["fact drives(Alice, 2015 Subaru Outback) @0.7"]],
    [
      "My name is Alice Chen, I'm 34, and I speak Spanish.",
      ["fact name(Alice, Alice Chen) @0.8", "fact age(Alice, 34) @0.7", "fact speaks(Alice, Spanish) @0.7"],
    ],
    ["Actually, I moved to Denver last month, not Boston.", ["fact moved_to(Alice, Denver) @0.75"]],
    ["my wife Chioma's birthday is Friday", ["relation has_wife(Alice, Chioma) @0.7"]],
  ])("extracts first-person statements: %s", (text, expected) => {
    expect(facts([text])).toEqual(expected);
  });

  it.each([
    "hi! I'm good, thanks",
    "I'm so tired today lol",
    "I'm going to bed now.",
    "I have a question about Python.",
    "I no longer work at Acme.",
    "I think I might like sushi, not sure.",
  ])("extracts nothing from small talk, negations and hedges: %s", (text) => {
    expect(extract([text])).toEqual([]);
  });

  it("never extracts from assistant turns", () => {
    expect(extract(["ok"]).length).toBe(0);
  });

  it("records the evidence turn and the entity mentions", () => {
    const [candidate] = extract(["hello there", "My sister Emma lives in Leeds."]);
    expect(candidate).toMatchObject({ evidence: ["t3"], entities: ["Alice", "Emma"], text: "Alice has sister Emma" });
  });

  it("spells predicates in the configured style", () => {
    expect(
      extract(["I work at Stripe and I grew up in Ohio."], { predicate_style: "camelCase" }).map((c) => c.predicate),
    ).toEqual(["worksAt", "grewUpIn"]);
  });

  it("extracts hedged statements at a lower confidence when told to", () => {
    expect(
      facts(["I think I might like sushi, not sure."], { hedged_statements: "extract", base_confidence: 0.82 }),
    ).toEqual(["preference likes(Alice, sushi) @0.57"]);
  });

  it("applies type rules and the category list", () => {
    expect(facts(["I usually run in the morning."], { type_rules: { habit: "preference" } })).toEqual([
      "preference habit(Alice, run in the morning) @0.7",
    ]);
    expect(
      extract(["I usually run in the morning. I live in Oslo."], { categories: ["location"] }).map((c) => c.predicate),
    ).toEqual(["lives_in"]);
  });

  it("names the subject by the configured convention", () => {
    const c = conversation(["hello"]);
    expect(subjectFor("Alice", c, "name")).toBe("Alice");
    expect(subjectFor("Alice", c, "user")).toBe("user");
    expect(subjectFor("Alice", c, "slug")).toBe("alice-chen");
  });

  it("two configs differ measurably on the same input", () => {
    const texts = ["I work at Stripe.", "I think I might like sushi.", "I usually bike to work."];
    const a = extract(texts);
    const b = extract(texts, {
      predicate_style: "camelCase",
      hedged_statements: "extract",
      base_confidence: 0.82,
      type_rules: { habit: "preference" },
    });
    expect(a.length).toBe(2);
    expect(b.length).toBe(3);
    expect(new Set(a.map((c) => c.predicate))).not.toEqual(new Set(b.map((c) => c.predicate)));
    expect(Math.min(...b.map((c) => c.confidence))).toBeLessThan(Math.max(...a.map((c) => c.confidence)));
  });

  it("splits clauses at sentence ends, dashes and first-person joins", () => {
    expect(splitClauses("I love tea — I think. And I work at X, and my sister Ann is here")).toEqual([
      "I love tea",
      "I think.",
      "And I work at X",
      "my sister Ann is here",
    ]);
  });
});

describe("statement cue", () => {
  it("every statement pattern needs a word the cue looks for, so skipping clauses without one loses nothing", () => {
    for (const { pattern } of STATEMENT_PATTERNS) {
      // The cue ignores case, so it finds these words however the pattern spells them.
      expect(pattern.source).toMatch(
        /^\\b(?:\(\?:I\|we\)|I|my|\[Mm\]y|every|working|\(\?:\[Cc\]all me\|I go by\))[ (\\]/,
      );
    }
    expect(STATEMENT_CUE.test("The weather is nice today")).toBe(false);
    expect(STATEMENT_CUE.test("I'm allergic to penicillin")).toBe(true);
    expect(STATEMENT_CUE.test("every morning, I run")).toBe(true);
    expect(STATEMENT_CUE.test("Call me Bob")).toBe(true);
    expect(STATEMENT_CUE.test("working as a nurse these days")).toBe(true);
  });
});
