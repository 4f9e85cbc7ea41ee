import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExtractPrompt, PLACEHOLDERS, type PromptContext } from "../../src/extract/prompts/custom-template.js";
import { EXTRACT_TEMPLATE, extractUserPrompt } from "../../src/extract/prompts/extract-v2.js";
import { loadExtractorConfig } from "../../src/load/load-config.js";
import { ConversationSchema } from "../../src/schema/conversation.js";
import type { LlmExtractor } from "../../src/schema/extractor-config.js";
import { inputErrorOf } from "../load/fixtures.js";

/** A temporary folder holding `files` (path → text); returns its path. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "eb-prompt-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const EXTRACTOR_YAML = (extra: string[]) =>
  [
    "name: team",
    "extractor:",
    "  provider: openai",
    "  model: gpt-5.4-mini",
    "  schema_version: 7",
    ...extra.map((line) => `  ${line}`),
    "",
  ].join("\n");

/** Write a config and its templates, load both through the real loaders. */
async function load(files: Record<string, string>, extra: string[] = ["prompt: {system: system.txt, user: user.txt}"]) {
  const root = tree({ "extractor.yaml": EXTRACTOR_YAML(extra), ...files });
  const configPath = join(root, "extractor.yaml");
  const { config } = loadExtractorConfig(configPath);
  return {
    root,
    configPath,
    extractor: config.extractor as LlmExtractor,
    prompt: await loadExtractPrompt(config.extractor as LlmExtractor, configPath),
  };
}

const conversation = ConversationSchema.parse({
  id: "conv-7",
  scope: { namespace: "user:alice" },
  entities: [{ id: "e1", name: "Alice Chen", aliases: ["Alice", "Ali"] }, { name: "Stripe" }],
  turns: [
    { id: "t1", speaker: "Alice", role: "user", text: "I work at Stripe.", ts: "2026-03-01T09:14:00Z" },
    { id: "t2", speaker: "assistant", role: "assistant", text: "Noted {{scope}}." },
    { id: "t3", speaker: "Alice", text: "Moving to Lisbon next month.", ts: "2026-03-04" },
  ],
});
const context = (extra: Partial<PromptContext> = {}): PromptContext => ({
  conversation,
  turns: conversation.turns,
  window: { index: 1, count: 3 },
  ...extra,
});

describe("a team's prompt templates", () => {
  it("fills every placeholder", async () => {
    const user = Object.keys(PLACEHOLDERS)
      .map((name) => `${name}=<{{${name}}}>`)
      .join("\n");
    const { prompt } = await load(
      { "system.txt": "Rules:\n{{ type_rules }}|{{quality_rules}}|{{custom_instructions}}", "user.txt": user },
      [
        "prompt: {system: system.txt, user: user.txt}",
        'type_rules: "  Places are facts.\\n"',
        "custom_instructions: Name the city.",
      ],
    );
    expect(prompt.system(context())).toBe("Rules:\nPlaces are facts.||Name the city.");
    expect(prompt.user(context())).toBe(
      [
        "conversation_id=<conv-7>",
        "scope=<user:alice>",
        "turns=<[turn t1] 2026-03-01 Alice (user): I work at Stripe.",
        "[turn t2] assistant (assistant): Noted {{scope}}.", // a value is never read as a template
        "[turn t3] 2026-03-04 Alice: Moving to Lisbon next month.>",
        "window=<part 2 of 3>",
        "known_entities=<Alice Chen (aliases: Alice, Ali)",
        "Stripe>",
        "first_date=<2026-03-01>",
        "last_date=<2026-03-04>",
        "type_rules=<Places are facts.>",
        "quality_rules=<>",
        "custom_instructions=<Name the city.>",
        "schema_version=<7>",
      ].join("\n"),
    );
  });

  it("leaves window, dates and sections empty and says none for entities when there are none", async () => {
    const { prompt } = await load({
      "system.txt": "S",
      "user.txt": "[{{window}}] [{{first_date}}] [{{last_date}}] [{{known_entities}}] [{{type_rules}}]\n{{turns}}",
    });
    const bare = ConversationSchema.parse({
      ...conversation,
      entities: [],
      turns: [{ id: "t2", speaker: "Bob", text: "Hi there." }],
    });
    expect(prompt.user({ conversation: bare, turns: bare.turns, window: { index: 0, count: 1 } })).toBe(
      "[] [] [] [none] []\n[turn t2] Bob: Hi there.",
    );
  });

  it("names the cache key by a hash of both files, which changes when either file does", async () => {
    const first = await load({ "system.txt": "Be brief.", "user.txt": "{{turns}}" });
    const same = await load({ "system.txt": "Be brief.", "user.txt": "{{turns}}" });
    const changed = await load({ "system.txt": "Be brief!", "user.txt": "{{turns}}" });
    const userOnly = await load({ "user.txt": "{{turns}}" }, ["prompt: {user: user.txt}"]);
    expect(first.prompt.template).toMatch(/^custom@[0-9a-f]{12}$/);
    expect(same.prompt.template).toBe(first.prompt.template);
    expect(changed.prompt.template).not.toBe(first.prompt.template);
    expect(userOnly.prompt.template).toMatch(/^custom@[0-9a-f]{12}$/);
    expect(userOnly.prompt.system(context())).toContain("You extract long-term memories"); // the bench's system prompt
  });

  it("reads its files once, at load", async () => {
    const { root, prompt } = await load({ "system.txt": "System for {{scope}}", "user.txt": "{{turns}}" });
    rmSync(root, { recursive: true });
    expect(prompt.system(context())).toBe("System for user:alice");
  });

  it("estimates what the prompt takes besides the turns", async () => {
    const { prompt } = await load({ "system.txt": "x".repeat(400), "user.txt": "{{known_entities}}\n{{turns}}" });
    expect(prompt.overheadTokens(conversation)).toBeGreaterThanOrEqual(100 + 10);
    expect(prompt.formatTurn(conversation.turns[0]!)).toBe("[turn t1] 2026-03-01 Alice (user): I work at Stripe.");
  });
});

describe("bad templates are bad input (exit 2), reported before any model call", () => {
  it("names file, line and column of an unknown placeholder, with the closest name and the allowed list", async () => {
    const error = await inputErrorOf(() =>
      load({ "system.txt": "ok\n\nSee {{turn}} and {{ nonsense }}.", "user.txt": "{{turns}}\n  {{conversation}}" }),
    );
    expect(error.exitCode).toBe(2);
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /\/system\.txt:3:5: unknown placeholder \{\{turn\}\}; did you mean \{\{turns\}\}\? placeholders: \{\{conversation_id\}\}, \{\{scope\}\}, \{\{turns\}\}, .*\{\{schema_version\}\}$/,
    );
    expect(lines[1]).toMatch(
      /\/system\.txt:3:18: unknown placeholder \{\{nonsense\}\}; placeholders: \{\{conversation_id\}\}/,
    );
    expect(lines[2]).toMatch(
      /\/user\.txt:2:3: unknown placeholder \{\{conversation\}\}; did you mean \{\{conversation_id\}\}\?/,
    );
    expect(error.problems[0]).toMatchObject({ line: 3, column: 5 });
  });

  it("rejects a {{ that is not closed on its line", async () => {
    const error = await inputErrorOf(() =>
      load({ "system.txt": 'Answer {{"facts": []}\n}}', "user.txt": "{{turns}}" }),
    );
    expect(error.message).toMatch(
      /\/system\.txt:1:8: "\{\{" is not closed on its line; a placeholder is written \{\{name\}\}, one of: \{\{conversation_id\}\}/,
    );
  });

  it("requires {{turns}} in the user template", async () => {
    const error = await inputErrorOf(() =>
      load({ "system.txt": "{{turns}}", "user.txt": "Conversation {{conversation_id}}" }),
    );
    expect(error.message).toMatch(/\/user\.txt: the user template has no \{\{turns\}\}/);
  });

  it("names the config line, the field and the missing file", async () => {
    const error = await inputErrorOf(() =>
      load({ "system.txt": "S" }, ["prompt:", "  system: system.txt", "  user: prompts/user.txt"]),
    );
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem).toMatchObject({ line: 8, path: "extractor.prompt.user" });
    expect(problem!.file).toMatch(/\/extractor\.yaml$/);
    expect(problem!.message).toMatch(/\/prompts\/user\.txt: no such file or folder$/);
  });

  it("refuses a config section no template shows, and an answer mapping without a prompt", async () => {
    const unused = await inputErrorOf(() =>
      load({ "system.txt": "S", "user.txt": "{{turns}}" }, [
        "prompt: {system: system.txt, user: user.txt}",
        "quality_rules: Only durable facts.",
      ]),
    );
    expect(unused.message).toMatch(
      /extractor\.yaml:7: extractor\.quality_rules: set, but no prompt template has \{\{quality_rules\}\}/,
    );
    const orphan = await inputErrorOf(() => load({}, ["answer: {memories: facts}"]));
    expect(orphan.message).toMatch(
      /extractor\.yaml:6: extractor\.answer: an answer mapping needs the team's own prompt/,
    );
  });
});

describe("prompt and answer in the extractor config, through the real loader", () => {
  it("fills the answer mapping's defaults", async () => {
    const { extractor, prompt } = await load({ "system.txt": "S", "user.txt": "{{turns}}" }, [
      "prompt: {system: system.txt, user: user.txt}",
      "answer: {fields: {text: fact}}",
    ]);
    expect(extractor.answer).toEqual({ memories: "memories", fields: { text: "fact" }, defaults: {} });
    expect(prompt.mapAnswer?.({ memories: [{ fact: "Ann lives in Leeds" }] })).toEqual({
      memories: [{ text: "Ann lives in Leeds" }],
    });
  });

  it.each([
    [
      "an unknown key in answer.fields",
      ["answer:", "  fields: {text: fact, evidnce: source_turns}"],
      7,
      "extractor.answer.fields.evidnce",
      'unknown field; did you mean "evidence"?',
    ],
    [
      "an unknown key in prompt",
      ["prompt: {system: s.txt, usr: u.txt}"],
      6,
      "extractor.prompt.usr",
      'unknown field; did you mean "user"?',
    ],
    ["an empty prompt", ["prompt: {}"], 6, "extractor.prompt", "expected `system`, `user` or both"],
    [
      "a default confidence above 1",
      ["answer: {defaults: {confidence: 2}}"],
      6,
      "extractor.answer.defaults.confidence",
      "expected number to be <=1",
    ],
    [
      "a path with a space",
      ["answer: {memories: my facts}"],
      6,
      "extractor.answer.memories",
      "expected a key or a dotted path",
    ],
  ])("rejects %s with the file, line and path (exit 2)", async (_name, extra, line, path, message) => {
    const root = tree({ "extractor.yaml": EXTRACTOR_YAML(extra) });
    const error = await inputErrorOf(() => loadExtractorConfig(join(root, "extractor.yaml")));
    expect(error.exitCode).toBe(2);
    expect(error.problems).toContainEqual(
      expect.objectContaining({ line, path, message: expect.stringContaining(message) }),
    );
  });
});

describe("the bench's own template, version 2", () => {
  it("is extract@2, has no answer mapping, and shows turn dates and the known entities before the turns", async () => {
    const { prompt } = await load({}, []);
    expect(prompt.template).toBe(EXTRACT_TEMPLATE);
    expect(EXTRACT_TEMPLATE).toBe("extract@2");
    expect(prompt.mapAnswer).toBeUndefined();
    expect(prompt.user(context())).toBe(
      [
        "Entities already known in this scope; when a turn refers to one, name it as written here:",
        "<known_entities>",
        "Alice Chen (aliases: Alice, Ali)",
        "Stripe",
        "</known_entities>",
        "",
        "Conversation conv-7 (part 2 of 3):",
        "[turn t1] 2026-03-01 Alice (user): I work at Stripe.",
        "[turn t2] assistant (assistant): Noted {{scope}}.",
        "[turn t3] 2026-03-04 Alice: Moving to Lisbon next month.",
        "",
        "Extract the memories as JSON.",
      ].join("\n"),
    );
    expect(prompt.system(context())).toMatch(
      /^You extract long-term memories[\s\S]*A turn may show its date after its id[\s\S]*Answer \{"memories": \[\]\} when nothing is worth remembering\.$/,
    );
  });

  it("omits the entity block when the scope knows none, and shows a ts that is not ISO as written", () => {
    const bare = ConversationSchema.parse({
      ...conversation,
      entities: [],
      turns: [{ id: "t9", speaker: "Bob", text: "Back from Oslo.", ts: " last Tuesday " }],
    });
    expect(extractUserPrompt(bare, bare.turns, { index: 0, count: 1 })).toBe(
      "Conversation conv-7:\n[turn t9] last Tuesday Bob: Back from Oslo.\n\nExtract the memories as JSON.",
    );
  });
});
