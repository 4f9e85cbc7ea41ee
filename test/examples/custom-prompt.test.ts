import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmExtractor } from "../../src/extract/extractors/llm-extractor.js";
import { rememberDry } from "../../src/extract/remember-dry.js";
import { loadExtractPrompt, PLACEHOLDERS } from "../../src/extract/prompts/custom-template.js";
import { loadConversations } from "../../src/load/load-inputs.js";
import { loadExtractorConfig } from "../../src/load/load-config.js";
import type { LlmExtractor } from "../../src/schema/extractor-config.js";
import { REPO } from "../cli/helpers.js";
import { testRuntime } from "../support/model-runtime.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";

const DIR = join(REPO, "examples/custom-prompt");
const DOC = readFileSync(join(REPO, "docs/custom-prompts.md"), "utf8");

describe("examples/custom-prompt", () => {
  const loaded = loadExtractorConfig(join(DIR, "extractor.yaml"));
  const extractor = loaded.config.extractor as LlmExtractor;

  it("is a valid openai extractor config whose templates load", async () => {
    expect(extractor).toMatchObject({
      provider: "openai",
      model: "gpt-5.4-mini",
      prompt: { system: "system.txt", user: "user.txt" },
    });
    const prompt = await loadExtractPrompt(extractor, loaded.path);
    expect(prompt.template).toMatch(/^custom@[0-9a-f]{12}$/);

    const [conversation] = loadConversations(join(REPO, "datasets/demo/conversations.jsonl"));
    const context = { conversation: conversation!, turns: conversation!.turns, window: { index: 0, count: 1 } };
    expect(prompt.system(context)).toContain("- preference: likes, dislikes, habits");
    const user = prompt.user(context);
    expect(user).toMatch(
      /^Conversation conv-alice-01 in user:alice, 2026-01-13 to 2026-01-1\d\n\nPeople and organizations/,
    );
    expect(user).toContain("Alice Chen (aliases: Alice, Ali)\nStripe\n");
    expect(user).toContain("[turn t2] 2026-01-13 Alice (user): hi! good morning");
  });

  it("reads the answer the doc shows as the memories the doc shows", async () => {
    const prompt = await loadExtractPrompt(extractor, loaded.path);
    const [answer, memories] = [...DOC.matchAll(/```json[^\n]*\n([\s\S]*?)```/g)]
      .slice(-2)
      .map((m) => JSON.parse(m[1]!));
    expect(prompt.mapAnswer!(answer)).toEqual(memories);
  });

  it("is the one the doc shows, file for file", () => {
    for (const file of ["system.txt", "user.txt"]) {
      const shown = new RegExp(`\`${file.replace(".", "\\.")}\`:\\n\\n\`\`\`text\\n([\\s\\S]*?)\`\`\``).exec(DOC)?.[1];
      expect(shown, file).toBe(readFileSync(join(DIR, file), "utf8"));
    }
  });
});

describe("a dry run of examples/custom-prompt through the openai extractor", () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startModelServer();
  });
  afterAll(() => server.close());

  it("sends the team's prompt without the bench's schema and reads the team's answer", async () => {
    const loaded = loadExtractorConfig(join(DIR, "extractor.yaml"));
    const config = {
      ...loaded.config,
      extractor: { ...loaded.config.extractor, base_url: server.openaiUrl } as LlmExtractor,
    };
    const [conversation] = loadConversations(join(REPO, "datasets/demo/conversations.jsonl"));
    server.setResponder(() =>
      JSON.stringify({
        facts: [
          {
            fact: "Alice works at Stripe",
            entity: "Alice Chen",
            relation: "works_at",
            value: "Stripe",
            score: 0.9,
            source_turns: ["t4"],
          },
        ],
      }),
    );
    const stage = await createLlmExtractor(config.extractor, {
      configPath: loaded.path,
      config,
      models: testRuntime(),
      scope: "candidate",
    });
    const result = await rememberDry(conversation!, config, stage);
    const [request] = server.requests;
    expect(request!.system).toMatch(/^You are the memory writer of Acme Assistant/);
    expect(request!.user).toMatch(/^Conversation conv-alice-01 in user:alice/);
    expect(request!.body.response_format).toBeUndefined();
    expect(result.error).toBeUndefined();
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]).toMatchObject({
      text: "Alice works at Stripe",
      type: "fact",
      predicate: "works_at",
      object: "Stripe",
      confidence: 0.9,
      evidence: ["t4"],
    });
  });
});

describe("docs/custom-prompts.md", () => {
  it.each(Object.keys(PLACEHOLDERS))("documents {{%s}}", (name) => {
    expect(DOC).toMatch(new RegExp(`^\\| \`\\{\\{${name}\\}\\}\` \\|`, "m"));
  });
});
