import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmExtractor } from "../../src/extract/extractors/llm-extractor.js";
import { rememberDry } from "../../src/extract/remember-dry.js";
import { ConversationSchema, type Conversation } from "../../src/schema/conversation.js";
import { ExtractorConfigSchema, type ExtractorConfig, type LlmExtractor } from "../../src/schema/extractor-config.js";
import { startModelServer, type ModelServer, type Scripted } from "../support/model-server.js";
import { testRuntime } from "../support/model-runtime.js";

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(() => server.close());

const conversation: Conversation = ConversationSchema.parse({
  id: "c1",
  scope: { namespace: "user:ann" },
  turns: [
    { id: "t1", speaker: "Ann", role: "user", text: "I moved to Leeds last spring and I love it there." },
    { id: "t2", speaker: "assistant", role: "assistant", text: "Leeds is lovely. What do you do there?" },
    { id: "t3", speaker: "Ann", role: "user", text: "I teach chemistry at a secondary school." },
  ],
});

const memory = (object: string, evidence: string[], extra: Record<string, unknown> = {}) => ({
  text: `Ann ${object}`,
  type: "fact",
  subject: "Ann",
  predicate: "lives_in",
  object,
  confidence: 0.9,
  evidence,
  ...extra,
});

function config(provider: "anthropic" | "openai", extra: Record<string, unknown> = {}): ExtractorConfig {
  return ExtractorConfigSchema.parse({
    name: "llm",
    extractor: {
      provider,
      model: provider === "anthropic" ? "claude-haiku-4-5" : "gpt-4.1-mini",
      base_url: provider === "anthropic" ? server.anthropicUrl : server.openaiUrl,
      schema_version: 4,
      timeout_ms: 2000,
      type_rules: "Places are facts.",
      quality_rules: "Only durable facts.",
      custom_instructions: "Name the city.",
      ...extra,
    },
    prefilter: { enabled: false },
  });
}

async function dry(cfg: ExtractorConfig, answers: Scripted[]) {
  const start = server.requests.length;
  server.setResponder((_r, index) => answers[index - start] ?? { fault: "server_error" });
  const stage = await createLlmExtractor(cfg.extractor as LlmExtractor, {
    configPath: "/tmp/x.yaml",
    config: cfg,
    models: testRuntime(),
    scope: "candidate",
  });
  const result = await rememberDry(conversation, cfg, stage);
  return { result, requests: server.requests.slice(start) };
}

describe.each(["anthropic", "openai"] as const)("the %s extractor", (provider) => {
  it("builds the prompt from the config's sections, reads a fenced answer, stamps the candidates", async () => {
    const answer = `Here you go:\n\`\`\`json\n${JSON.stringify({ memories: [memory("Leeds", ["t1", "t99"])] })}\n\`\`\``;
    const { result, requests } = await dry(config(provider), [{ text: answer, input_tokens: 120, output_tokens: 40 }]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.system).toContain("<type_rules>\nPlaces are facts.\n</type_rules>");
    expect(requests[0]!.system).toContain("<quality_rules>\nOnly durable facts.\n</quality_rules>");
    expect(requests[0]!.system).toContain("<custom_rules>\nName the city.\n</custom_rules>");
    expect(requests[0]!.user).toContain("[turn t1] Ann (user): I moved to Leeds");
    expect(result.error).toBeUndefined();
    expect(result.counts).toMatchObject({ extract_calls: 1, extracted: 1, json_failures: 0 });
    expect(result.usage).toEqual({ input_tokens: 120, output_tokens: 40 });
    const [candidate] = result.candidates;
    expect(candidate).toMatchObject({ object: "Leeds", evidence: ["t1"], schema_version: 4 }); // t99 is not a turn
    expect(candidate!.extractor).toMatchObject({
      provider,
      model: config(provider).extractor.model,
      extractor_schema_version: 4,
    });
    expect(candidate!.extractor.model_version_hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("asks again once after an answer that is not JSON", async () => {
    const { result, requests } = await dry(config(provider), [
      "Sure! Ann lives in Leeds.",
      JSON.stringify({ memories: [memory("Leeds", ["t1"])] }),
    ]);
    expect(requests).toHaveLength(2);
    expect(result.counts).toMatchObject({ extract_calls: 1, json_failures: 0, extracted: 1 });
  });

  it("counts a JSON failure after two unreadable answers, the retry showing the model its answer and the error", async () => {
    const { result, requests } = await dry(config(provider), ["not json", "still not json"]);
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]!.body.messages)).toContain(`"assistant","content":"not json"`);
    expect(requests[1]!.user).toContain("That answer cannot be used: the answer is not JSON");
    expect(result.counts).toMatchObject({
      extract_calls: 1,
      json_failures: 1,
      extracted: 0,
      answer_failures: { invalid_json: 1 },
    });
    expect(result.candidates).toEqual([]);
    expect(result.error).toMatchObject({
      kind: "invalid_json",
      message: expect.stringContaining("the answer is not JSON"),
    }); // its only window failed: the conversation failed
  });

  it("drops one invalid memory on its own and repairs what it can, counting each", async () => {
    const answer = JSON.stringify({
      memories: [
        memory("Leeds", ["t1"], { confidence: 1.5 }),
        { ...memory("Leeds", [4 as unknown as string]), category: "work" },
        memory("Leeds", ["turn t1", "t99"]),
      ],
      notes: "extra",
    });
    const { result, requests } = await dry(config(provider), [answer]);
    expect(requests).toHaveLength(1);
    expect(result.error).toBeUndefined();
    expect(result.counts).toMatchObject({
      extracted: 2,
      json_failures: 0,
      repairs: { unknown_key_dropped: 2, evidence_number_as_string: 1, evidence_turn_prefix: 1 },
      dropped: { "memory_invalid:confidence": 1, evidence_unknown: 2 },
    });
  });

  it("records a call that fails after its retries as a failed conversation", async () => {
    const { result, requests } = await dry(config(provider), [
      { fault: "server_error" },
      { fault: "overloaded" },
      { fault: "server_error" },
    ]);
    expect(requests).toHaveLength(3); // the first try and max_retries 2
    expect(result.error).toMatchObject({
      kind: "provider_error",
      message: expect.stringContaining("extract candidate c1 window 1/1"),
    });
    expect(result.candidates).toEqual([]);
  });

  it("records exhausted rate limits as rate_limited", async () => {
    const limited = { fault: "rate_limit", retryAfterSeconds: 0 } as const;
    const { result } = await dry(config(provider), [limited, limited, limited]);
    expect(result.error?.kind).toBe("rate_limited");
  });
});

describe("windows", () => {
  it("splits a conversation that does not fit max_input_tokens and merges the windows' memories", async () => {
    const long = ConversationSchema.parse({
      ...conversation,
      turns: Array.from({ length: 12 }, (_, i) => ({
        id: `t${i + 1}`,
        speaker: "Ann",
        role: "user",
        text: `Fact number ${i + 1}: ${"words ".repeat(60)}`,
      })),
    });
    const cfg = config("anthropic", { max_input_tokens: 600 });
    server.setResponder((request) => {
      const ids = [...request.user.matchAll(/^\[turn (t\d+)\]/gm)].map((m) => m[1]!);
      return JSON.stringify({ memories: ids.map((id) => memory(`item ${id}`, [id])) });
    });
    const start = server.requests.length;
    const stage = await createLlmExtractor(cfg.extractor as LlmExtractor, {
      configPath: "/tmp/x.yaml",
      config: cfg,
      models: testRuntime(),
      scope: "baseline",
    });
    const result = await rememberDry(long, cfg, stage);
    const requests = server.requests.slice(start);
    expect(requests.length).toBeGreaterThan(1);
    expect(result.counts.extract_calls).toBe(requests.length);
    expect(requests[0]!.user).toMatch(new RegExp(`\\(part 1 of ${requests.length}\\)`));
    for (const request of requests)
      expect(Math.ceil((request.system.length + request.user.length) / 4)).toBeLessThanOrEqual(600);
    expect(result.candidates.map((c) => c.evidence[0])).toEqual(long.turns.map((t) => t.id));
  });
});
