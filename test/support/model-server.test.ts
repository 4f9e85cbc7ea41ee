import Anthropic, {
  BadRequestError as AnthropicBadRequest,
  NotFoundError as AnthropicNotFound,
} from "@anthropic-ai/sdk";
import OpenAI, { BadRequestError as OpenAIBadRequest, NotFoundError as OpenAINotFound, toFile } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_RETIRED_MODELS,
  isOpenAIReasoningModel,
  rejectionOf,
  startModelServer,
  type ModelServer,
  type Scripted,
} from "./model-server.js";

let server: ModelServer;
let openai: OpenAI;
let anthropic: Anthropic;
let next: Scripted[] = [];

beforeAll(async () => {
  server = await startModelServer(() => next.shift() ?? '{"ok":true}');
  openai = new OpenAI({ apiKey: "k", baseURL: server.openaiUrl, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: "k", baseURL: server.anthropicUrl, maxRetries: 0 });
});
afterAll(() => server.close());
beforeEach(() => {
  next = [];
  server.setOptions({});
});

/** A strict-mode-ready schema: every object closed and fully required. */
const person = {
  type: "object",
  properties: {
    name: { type: "string", description: "full name" },
    address: {
      type: "object",
      properties: { city: { type: "string" }, zip: { anyOf: [{ type: "string" }, { type: "null" }] } },
      required: ["city", "zip"],
      additionalProperties: false,
    },
    tags: { type: "array", items: { type: "string", enum: ["a", "b"] } },
  },
  required: ["name", "address", "tags"],
  additionalProperties: false,
};

const user = [{ role: "user" as const, content: "Extract the person as JSON." }];
const chat = (extra: Record<string, unknown>) =>
  openai.chat.completions.create({
    model: "gpt-5.4-mini",
    messages: user,
    ...extra,
  } as never) as Promise<OpenAI.ChatCompletion>;
const message = (extra: Record<string, unknown>) =>
  anthropic.messages.create({
    model: "claude-sonnet-5-5",
    max_tokens: 2000,
    messages: user,
    ...extra,
  } as never) as Promise<Anthropic.Message>;
const jsonSchema = (schema: unknown, name = "person") => ({
  response_format: { type: "json_schema", json_schema: { name, strict: true, schema } },
});

describe("OpenAI chat completions validation through the real SDK", () => {
  it("refuses max_tokens on a gpt-5 model, naming the parameter", async () => {
    const error = await chat({ max_tokens: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAIBadRequest);
    expect(error).toMatchObject({
      status: 400,
      param: "max_tokens",
      code: "unsupported_parameter",
      type: "invalid_request_error",
      error: {
        message:
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      },
    });
    expect(server.requests.at(-1)!.rejected).toMatch(/max_tokens/);
  });

  it("refuses a temperature other than 1 on a reasoning model", async () => {
    const error = await chat({ max_completion_tokens: 100, temperature: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAIBadRequest);
    expect(error).toMatchObject({
      param: "temperature",
      code: "unsupported_value",
      error: {
        message:
          "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
      },
    });
    await expect(chat({ max_completion_tokens: 100, temperature: 1 })).resolves.toMatchObject({
      object: "chat.completion",
    });
  });

  it("takes max_completion_tokens, reasoning_effort and a strict json_schema", async () => {
    const answer = await chat({ max_completion_tokens: 500, reasoning_effort: "low", ...jsonSchema(person) });
    expect(answer.choices[0]!.finish_reason).toBe("stop");
    expect(JSON.parse(answer.choices[0]!.message.content!)).toEqual({ ok: true });
    expect(server.requests.at(-1)!.rejected).toBeUndefined();
  });

  it("refuses a strict schema with an open object or an unsupported keyword", async () => {
    const open = structuredClone(person) as { properties: { address: Record<string, unknown> } };
    delete open.properties.address.additionalProperties;
    const error = await chat({ max_completion_tokens: 500, ...jsonSchema(open) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAIBadRequest);
    expect(error).toMatchObject({ param: "response_format", code: "invalid_json_schema" });
    expect((error as Error).message).toContain(
      "Invalid schema for response_format 'person': In context=('properties', 'address'), 'additionalProperties' is required",
    );

    const withMinLength = structuredClone(person) as { properties: { name: Record<string, unknown> } };
    withMinLength.properties.name.minLength = 1;
    await expect(chat({ max_completion_tokens: 500, ...jsonSchema(withMinLength) })).rejects.toMatchObject({
      status: 400,
      param: "response_format",
      code: "invalid_json_schema",
      message: expect.stringContaining("In context=('properties', 'name'), 'minLength' is not permitted"),
    });
  });

  it("refuses an unsupported reasoning_effort value", async () => {
    await expect(chat({ max_completion_tokens: 100, reasoning_effort: "extreme" })).rejects.toMatchObject({
      param: "reasoning_effort",
      code: "unsupported_value",
    });
  });

  it("takes max_tokens and temperature 0 on gpt-4.1, but not reasoning_effort", async () => {
    const answer = await openai.chat.completions.create({
      model: "gpt-4.1",
      messages: user,
      max_tokens: 100,
      temperature: 0,
    });
    expect(answer.choices[0]!.message.content).toBe('{"ok":true}');
    await expect(
      openai.chat.completions.create({ model: "gpt-4.1", messages: user, reasoning_effort: "low" }),
    ).rejects.toMatchObject({
      status: 400,
      param: "reasoning_effort",
      code: "unsupported_parameter",
    });
  });

  it("refuses an unknown top-level argument", async () => {
    await expect(chat({ max_completion_tokens: 10, top_k: 5 })).rejects.toMatchObject({
      status: 400,
      param: null,
      code: null,
      error: { message: "Unrecognized request argument supplied: top_k" },
    });
  });

  it("answers 404 model_not_found for a retired model", async () => {
    const error = await openai.chat.completions
      .create({ model: "gpt-4.5-preview", messages: user })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAINotFound);
    expect(error).toMatchObject({
      status: 404,
      code: "model_not_found",
      error: { message: "The model `gpt-4.5-preview` does not exist or you do not have access to it." },
    });
  });

  it("plays an OpenAI-compatible server lacking response_format or max_completion_tokens", async () => {
    server.setOptions({ compat: { rejectResponseFormat: true, rejectMaxCompletionTokens: true } });
    await expect(
      openai.chat.completions.create({ model: "llama3.1", messages: user, response_format: { type: "text" } }),
    ).rejects.toMatchObject({
      status: 400,
      param: "response_format",
      code: null,
      error: { message: "response_format is not supported by this server", type: "invalid_request_error" },
    });
    await expect(
      openai.chat.completions.create({ model: "llama3.1", messages: user, max_completion_tokens: 10 }),
    ).rejects.toMatchObject({
      status: 400,
      param: "max_completion_tokens",
    });
    await expect(
      openai.chat.completions.create({ model: "llama3.1", messages: user, max_tokens: 10 }),
    ).resolves.toMatchObject({ model: "llama3.1" });
  });
});

describe("OpenAI answer outcomes", () => {
  it("ends with length when the answer is cut at max tokens", async () => {
    next = [{ text: '{"memories": [', stop: "max_tokens" }];
    const answer = await chat({ max_completion_tokens: 10 });
    expect(answer.choices[0]).toMatchObject({ finish_reason: "length", message: { content: '{"memories": [' } });
  });

  it("carries a refusal in message.refusal with no content", async () => {
    next = [{ text: "", refusal: "I can't help with that." }];
    const answer = await chat({ max_completion_tokens: 10 });
    expect(answer.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { content: null, refusal: "I can't help with that." },
    });
  });

  it("reports cached prompt tokens inside prompt_tokens and reasoning tokens inside completion_tokens", async () => {
    next = [{ text: "ok", input_tokens: 100, output_tokens: 50, cache_read_tokens: 400, reasoning_tokens: 30 }];
    const answer = await chat({ max_completion_tokens: 100 });
    expect(answer.usage).toMatchObject({
      prompt_tokens: 500,
      completion_tokens: 50,
      total_tokens: 550,
      prompt_tokens_details: { cached_tokens: 400 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  it("answers an empty text and a scripted bad request", async () => {
    next = [
      { text: "" },
      {
        fault: "bad_request",
        message: "Invalid 'messages[0].content': string too long.",
        param: "messages[0].content",
      },
    ];
    expect((await chat({ max_completion_tokens: 10 })).choices[0]!.message.content).toBe("");
    await expect(chat({ max_completion_tokens: 10 })).rejects.toMatchObject({
      status: 400,
      param: "messages[0].content",
      error: { message: "Invalid 'messages[0].content': string too long." },
    });
    expect(server.requests.at(-1)!.rejected).toBe("Invalid 'messages[0].content': string too long.");
  });
});

describe("Anthropic messages validation through the real SDK", () => {
  it("refuses temperature: this API generation takes none", async () => {
    const error = await message({ temperature: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnthropicBadRequest);
    expect(error).toMatchObject({
      status: 400,
      error: {
        type: "error",
        error: { type: "invalid_request_error", message: "temperature: Extra inputs are not permitted" },
      },
    });
  });

  it("takes output_config with effort and a json_schema format", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, tags: { type: "array", items: { type: "string" }, minItems: 1 } },
      required: ["name"],
      additionalProperties: false,
    };
    const answer = await message({ output_config: { effort: "low", format: { type: "json_schema", schema } } });
    expect(answer).toMatchObject({ stop_reason: "end_turn", content: [{ type: "text", text: '{"ok":true}' }] });
  });

  it("refuses a structured-output schema using minimum, or an open object", async () => {
    const schema = {
      type: "object",
      properties: { age: { type: "integer", minimum: 0 } },
      required: ["age"],
      additionalProperties: false,
    };
    const error = await message({ output_config: { format: { type: "json_schema", schema } } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AnthropicBadRequest);
    expect((error as AnthropicBadRequest).message).toContain(
      "output_config.format.schema.properties.age: 'minimum' is not supported",
    );
    await expect(
      message({ output_config: { format: { type: "json_schema", schema: { type: "object", properties: {} } } } }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("'additionalProperties' must be explicitly set to false"),
    });
  });

  const extract = {
    name: "extract",
    description: "Record the person",
    input_schema: { type: "object", properties: { name: { type: "string" } } },
  };

  it("refuses a forced tool together with thinking", async () => {
    await expect(
      message({ tools: [extract], tool_choice: { type: "tool", name: "extract" }, thinking: { type: "adaptive" } }),
    ).rejects.toMatchObject({
      status: 400,
      error: {
        error: {
          type: "invalid_request_error",
          message: "Thinking may not be enabled when tool_choice forces tool use.",
        },
      },
    });
  });

  it("answers a forced tool with a tool_use block carrying the answer as input", async () => {
    next = ['{"name":"Ada"}', "not json"];
    const answer = await message({ tools: [extract], tool_choice: { type: "tool", name: "extract" } });
    expect(answer.stop_reason).toBe("tool_use");
    expect(answer.content).toEqual([
      expect.objectContaining({ type: "tool_use", name: "extract", input: { name: "Ada" } }),
    ]);
    const notJson = await message({ tools: [extract], tool_choice: { type: "tool", name: "extract" } });
    expect(notJson.content[0]).toMatchObject({ type: "tool_use", input: {} });
  });

  it("refuses a tool_choice naming a tool that is not there", async () => {
    await expect(message({ tools: [extract], tool_choice: { type: "tool", name: "other" } })).rejects.toBeInstanceOf(
      AnthropicBadRequest,
    );
  });

  it("answers 404 not_found_error for a retired model", async () => {
    const error = await anthropic.messages
      .create({ model: "claude-opus-4-1", max_tokens: 100, messages: user })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnthropicNotFound);
    expect(error).toMatchObject({
      status: 404,
      error: { type: "error", error: { type: "not_found_error", message: "model: claude-opus-4-1" } },
    });
  });

  it("refuses a thinking budget below 1024 or not below max_tokens", async () => {
    await expect(message({ thinking: { type: "enabled", budget_tokens: 512 } })).rejects.toMatchObject({
      message: expect.stringContaining("thinking.enabled.budget_tokens"),
    });
    await expect(message({ thinking: { type: "enabled", budget_tokens: 4000 } })).rejects.toMatchObject({
      message: expect.stringContaining("thinking.budget_tokens"),
    });
  });

  it("refuses structured outputs on a model listed without them", async () => {
    server.setOptions({ anthropicNoStructuredOutput: ["claude-haiku-4-5"] });
    const format = { type: "json_schema", schema: { type: "object", properties: {}, additionalProperties: false } };
    await expect(
      anthropic.messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 100,
        messages: user,
        output_config: { format },
      } as never),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(
        "output_config.format: structured outputs are not supported for model claude-haiku-4-5",
      ),
    });
  });
});

describe("Anthropic answer outcomes", () => {
  it("ends with max_tokens and with refusal", async () => {
    next = [
      { text: "partial", stop: "max_tokens" },
      { text: "", refusal: "I can't help with that." },
    ];
    expect(await message({})).toMatchObject({
      stop_reason: "max_tokens",
      content: [{ type: "text", text: "partial" }],
    });
    expect(await message({})).toMatchObject({
      stop_reason: "refusal",
      content: [{ type: "text", text: "I can't help with that." }],
    });
  });

  it("prepends a thinking block and reports thinking and cache tokens", async () => {
    next = [
      {
        text: "done",
        input_tokens: 10,
        output_tokens: 80,
        reasoning_tokens: 70,
        cache_read_tokens: 900,
        cache_write_tokens: 100,
      },
    ];
    const answer = await message({ thinking: { type: "enabled", budget_tokens: 1024 } });
    expect(answer.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(answer.content[0]).toMatchObject({ type: "thinking", signature: "sig" });
    expect(answer.usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 80,
      cache_read_input_tokens: 900,
      cache_creation_input_tokens: 100,
      output_tokens_details: { thinking_tokens: 70 },
    });
  });

  it("takes a system prompt as text blocks with cache_control", async () => {
    const answer = await message({
      system: [{ type: "text", text: "You extract memories.", cache_control: { type: "ephemeral" } }],
    });
    expect(answer.stop_reason).toBe("end_turn");
    expect(server.requests.at(-1)!.system).toBe("You extract memories.");
  });
});

describe("batches validate each call", () => {
  it("turns an invalid Anthropic batch request into an errored result", async () => {
    const created = await anthropic.messages.batches.create({
      requests: [
        { custom_id: "good", params: { model: "claude-sonnet-5-5", max_tokens: 100, messages: user } },
        {
          custom_id: "bad",
          params: { model: "claude-sonnet-5-5", max_tokens: 100, messages: user, temperature: 0 } as never,
        },
      ],
    });
    const ended = await anthropic.messages.batches.retrieve(created.id);
    expect(ended.request_counts).toMatchObject({ succeeded: 1, errored: 1 });
    const results = new Map<string, Anthropic.Messages.MessageBatchResult>();
    for await (const entry of await anthropic.messages.batches.results(created.id))
      results.set(entry.custom_id, entry.result);
    expect(results.get("good")).toMatchObject({ type: "succeeded" });
    expect(results.get("bad")).toEqual({
      type: "errored",
      error: {
        type: "error",
        error: { type: "invalid_request_error", message: "temperature: Extra inputs are not permitted" },
      },
    });
    expect(server.batches.at(-1)!.calls[1]!.request.rejected).toBe("temperature: Extra inputs are not permitted");
  });

  it("puts an invalid OpenAI batch line in the error file as a 400", async () => {
    const lines = [
      {
        custom_id: "good",
        method: "POST",
        url: "/v1/chat/completions",
        body: { model: "gpt-5.4-mini", messages: user, max_completion_tokens: 100 },
      },
      {
        custom_id: "bad",
        method: "POST",
        url: "/v1/chat/completions",
        body: { model: "gpt-5.4-mini", messages: user, max_tokens: 100 },
      },
    ];
    const file = await openai.files.create({
      file: await toFile(Buffer.from(lines.map((l) => JSON.stringify(l)).join("\n")), "in.jsonl"),
      purpose: "batch",
    });
    const created = await openai.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
    });
    const ended = await openai.batches.retrieve(created.id);
    expect(ended).toMatchObject({ status: "completed", request_counts: { total: 2, completed: 1, failed: 1 } });
    const output = await (await openai.files.content(ended.output_file_id!)).text();
    const errors = (await (await openai.files.content(ended.error_file_id!)).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(output).toContain('"custom_id":"good"');
    expect(errors).toEqual([
      expect.objectContaining({
        custom_id: "bad",
        response: expect.objectContaining({
          status_code: 400,
          body: { error: expect.objectContaining({ param: "max_tokens", code: "unsupported_parameter" }) },
        }),
      }),
    ]);
  });
});

describe("rejectionOf (no HTTP)", () => {
  const o = (body: Record<string, unknown>) =>
    rejectionOf("openai", { model: "gpt-5.4-mini", messages: user, ...body });
  const a = (body: Record<string, unknown>) =>
    rejectionOf("anthropic", { model: "claude-sonnet-5-5", max_tokens: 2000, messages: user, ...body });
  const openaiError = (r: ReturnType<typeof rejectionOf>) =>
    (r?.body as { error: { message: string; param: string | null; code: string | null } } | undefined)?.error;

  it("knows which OpenAI models reason", () => {
    expect(["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5.4-mini"].every(isOpenAIReasoningModel)).toBe(true);
    expect(["gpt-5-chat-latest", "gpt-4.1", "gpt-4o", "omni-moderation"].some(isOpenAIReasoningModel)).toBe(false);
  });

  it("applies the OpenAI rules", () => {
    expect(o({ max_completion_tokens: 10 })).toBeUndefined();
    expect(
      rejectionOf("openai", { model: "gpt-4.1", messages: user, max_tokens: 10, max_completion_tokens: 10 })?.status,
    ).toBe(400);
    const plain = [{ role: "user", content: [{ type: "text", text: "answer in plain text" }] }];
    expect(openaiError(o({ messages: plain, response_format: { type: "json_object" } }))).toEqual({
      message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      type: "invalid_request_error",
      param: "messages",
      code: null,
    });
    expect(o({ response_format: { type: "json_object" } })).toBeUndefined(); // "as JSON." in the user message
    expect(
      o({ response_format: { type: "json_schema", json_schema: { name: "bad name", schema: person } } })?.status,
    ).toBe(400);
    expect(
      o({
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "loose",
            schema: { type: "object", properties: { a: { type: "string", minLength: 2 } } },
          },
        },
      }),
    ).toBeUndefined();
    expect(openaiError(o(jsonSchema({ anyOf: [person] })))?.message).toContain(
      `schema must be a JSON Schema of 'type: "object"'`,
    );
    const missingRequired = { ...person, required: ["name", "address"] };
    expect(openaiError(o(jsonSchema(missingRequired)))?.message).toContain("Missing 'tags'");
    const defs = {
      ...person,
      properties: { ...person.properties, friend: { $ref: "#/$defs/friend" } },
      required: [...person.required, "friend"],
      $defs: {
        friend: { type: "object", properties: { n: { type: "string" } }, required: ["n"], additionalProperties: false },
      },
    };
    expect(o(jsonSchema(defs))).toBeUndefined();
    expect(
      openaiError(
        o(
          jsonSchema({
            ...defs,
            $defs: {
              friend: {
                type: "object",
                properties: { n: { type: "string" } },
                required: ["n"],
                additionalProperties: false,
                minProperties: 1,
              },
            },
          }),
        ),
      )?.message,
    ).toContain("('$defs', 'friend'), 'minProperties' is not permitted");
    expect(
      openaiError(o(jsonSchema({ ...person, $schema: "https://json-schema.org/draft/2020-12/schema" })))?.message,
    ).toContain("'$schema' is not permitted");
    expect(openaiError(o({ tool_choice: "auto" }))?.param).toBe("tool_choice");
    expect(rejectionOf("openai", { model: "gpt-4.1", messages: user, temperature: 3 })?.status).toBe(400);
  });

  it("applies the Anthropic rules", () => {
    const err = (r: ReturnType<typeof rejectionOf>) =>
      (r?.body as { error: { type: string; message: string } } | undefined)?.error.message;
    expect(a({})).toBeUndefined();
    expect(err(a({ top_k: 5 }))).toBe("top_k: Extra inputs are not permitted");
    expect(err(rejectionOf("anthropic", { model: "claude-sonnet-5-5", messages: user }))).toBe(
      "max_tokens: Field required",
    );
    expect(a({ messages: [] })?.status).toBe(400);
    expect(a({ messages: [{ role: "assistant", content: "hi" }] })?.status).toBe(400);
    expect(
      a({
        system: [
          { type: "text", text: "s" },
          { type: "image", text: "x" },
        ],
      })?.status,
    ).toBe(400);
    expect(a({ output_config: { effort: "extreme" } })?.status).toBe(400);
    expect(a({ output_config: { verbosity: "low" } })?.status).toBe(400);
    const schema = (extra: Record<string, unknown>) => ({
      output_config: {
        format: {
          type: "json_schema",
          schema: { type: "object", properties: {}, additionalProperties: false, ...extra },
        },
      },
    });
    expect(
      a(
        schema({
          $defs: { n: { type: "object", properties: { next: { $ref: "#/$defs/n" } }, additionalProperties: false } },
        }),
      )?.message,
    ).toContain("recursive '$ref'");
    expect(
      a(schema({ properties: { tags: { type: "array", items: { type: "string" }, minItems: 2 } } }))?.message,
    ).toContain("'minItems'");
    expect(
      a(schema({ properties: { tags: { type: "array", items: { type: "string" }, minItems: 0 } } })),
    ).toBeUndefined();
    for (const keyword of ["maxLength", "uniqueItems", "patternProperties", "oneOf", "not", "if"])
      expect(a(schema({ [keyword]: 1 }))?.message).toContain(`'${keyword}'`);
    expect(
      a({
        thinking: { type: "disabled" },
        tools: [{ name: "t", input_schema: { type: "object" } }],
        tool_choice: { type: "any" },
      }),
    ).toBeUndefined();
    expect(
      a({
        thinking: { type: "enabled", budget_tokens: 1024 },
        tools: [{ name: "t", input_schema: { type: "object" } }],
        tool_choice: { type: "any" },
      })?.message,
    ).toBe("Thinking may not be enabled when tool_choice forces tool use.");
    expect(
      a({
        tools: [
          {
            name: "t",
            input_schema: {
              type: "object",
              properties: { n: { type: "string", maxLength: 3 } },
              additionalProperties: false,
            },
            strict: true,
          },
        ],
      })?.message,
    ).toContain("tools.0.input_schema.properties.n: 'maxLength'");
  });

  it("retires the default models, or the ones the options name", () => {
    for (const model of DEFAULT_RETIRED_MODELS) {
      const protocol = model.startsWith("claude") ? "anthropic" : "openai";
      expect(rejectionOf(protocol, { model, max_tokens: 10, messages: user })?.status).toBe(404);
    }
    expect(
      rejectionOf("anthropic", { model: "claude-opus-4-1", max_tokens: 10, messages: user }, { retiredModels: [] }),
    ).toBeUndefined();
    expect(rejectionOf("openai", { model: "gpt-4o", messages: user }, { retiredModels: ["gpt-4o"] })?.status).toBe(404);
  });
});

describe("old behaviour", () => {
  it("still answers 401 without a key and records every request", async () => {
    const before = server.requests.length;
    const res = await fetch(`${server.anthropicUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", max_tokens: 1, messages: user }),
    });
    expect(res.status).toBe(401);
    expect(server.requests.length).toBe(before + 1);
    expect(server.requests.at(-1)!.rejected).toBe("missing API key");
  });

  it("answers anything when validation is off", async () => {
    server.setOptions({ validate: false });
    await expect(message({ temperature: 0 })).resolves.toMatchObject({ type: "message" });
  });
});
