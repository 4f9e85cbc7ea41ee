import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { answerFormat, strictJsonSchema } from "../../src/providers/answer-format.js";
import { messageParams, readMessage } from "../../src/providers/anthropic-provider.js";
import { CircuitBreaker, CircuitOpenError } from "../../src/providers/circuit-breaker.js";
import { classifySdkError } from "../../src/providers/classify-error.js";
import { chatBody, defaultDialect, fallbackDialect, readChatCompletion } from "../../src/providers/openai-provider.js";
import { ProviderError, type CompletionRequest } from "../../src/providers/provider.js";
import { LlmAnswerSchema } from "../../src/schema/llm-answer.js";
import type { RunError } from "../../src/errors.js";

const format = answerFormat("memories", LlmAnswerSchema);
const request: CompletionRequest = {
  system: "Extract.",
  messages: [{ role: "user", content: "[turn t1] Ann: hi" }],
  max_tokens: 1000,
  format,
};

describe("the answer's JSON Schema in the subset both strict modes take", () => {
  it("closes every object, requires every property, makes an optional one nullable and leaves out unsupported keywords", () => {
    const schema = strictJsonSchema(
      z.toJSONSchema(
        z.object({ a: z.string().min(3), b: z.number().max(1).optional(), c: z.array(z.object({ d: z.boolean() })) }),
      ),
    ) as Record<string, unknown>;
    expect(schema).toEqual({
      type: "object",
      properties: {
        a: { type: "string" },
        b: { type: ["number", "null"] },
        c: {
          type: "array",
          items: {
            type: "object",
            properties: { d: { type: "boolean" } },
            required: ["d"],
            additionalProperties: false,
          },
        },
      },
      required: ["a", "b", "c"],
      additionalProperties: false,
    });
  });
});

describe("OpenAI request bodies", () => {
  it("sends a reasoning model max_completion_tokens, its effort and a strict schema, and no temperature unless set", () => {
    const settings = {
      provider: "openai",
      model: "gpt-5.4-mini",
      reasoning_effort: "low" as const,
      max_tokens: 1000,
      timeout_ms: 1,
      max_input_tokens: 1000,
    };
    const body = chatBody(settings, request);
    expect(body).toMatchObject({
      model: "gpt-5.4-mini",
      max_completion_tokens: 1000,
      reasoning_effort: "low",
      response_format: { type: "json_schema", json_schema: { name: "memories", strict: true } },
    });
    expect(body).not.toHaveProperty("max_tokens");
    expect(body).not.toHaveProperty("temperature");
    expect(chatBody(settings, { ...request, temperature: 0.2 }).temperature).toBe(0.2);
  });

  it("asks JSON mode for the word json, and falls back from a refused parameter only once per parameter", () => {
    const settings = {
      provider: "openai",
      model: "local",
      max_tokens: 1,
      timeout_ms: 1,
      max_input_tokens: 1000,
      structured_output: "json_object" as const,
    };
    const body = chatBody(settings, { ...request, system: "Extract memories." });
    expect(body.response_format).toEqual({ type: "json_object" });
    expect(body.messages[0]!.content).toMatch(/JSON/);
    const refused = (param: string) =>
      new ProviderError("client", `HTTP 400 (${param} is not supported by this server)`, 400, undefined, param);
    const dialect = defaultDialect({ ...settings, structured_output: "json_schema" });
    expect(fallbackDialect(refused("response_format"), dialect, settings, request)).toEqual({
      format: "off",
      maxTokensField: "max_completion_tokens",
    });
    expect(fallbackDialect(refused("max_completion_tokens"), dialect, settings, request)).toEqual({
      format: "json_schema",
      maxTokensField: "max_tokens",
    });
    expect(
      fallbackDialect(
        refused("max_completion_tokens"),
        dialect,
        { ...settings, max_tokens_field: "max_completion_tokens" },
        request,
      ),
    ).toBeUndefined();
    expect(
      fallbackDialect(refused("response_format"), { ...dialect, format: "off" }, settings, request),
    ).toBeUndefined();
  });

  it("reads a truncated answer, a refusal and an empty one, and counts cached and reasoning tokens apart", () => {
    const completion = (choice: object, usage: object = {}) =>
      ({
        id: "x",
        object: "chat.completion",
        created: 0,
        model: "m",
        choices: [{ index: 0, logprobs: null, ...choice }],
        usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150, ...usage },
      }) as unknown as OpenAI.Chat.Completions.ChatCompletion;
    expect(
      readChatCompletion(
        completion({ message: { role: "assistant", content: '{"memo', refusal: null }, finish_reason: "length" }),
        "l",
        "m",
        1,
      ),
    ).toMatchObject({ stop: "truncated", stop_reason: "length" });
    expect(
      readChatCompletion(
        completion({ message: { role: "assistant", content: null, refusal: "No." }, finish_reason: "stop" }),
        "l",
        "m",
        1,
      ),
    ).toMatchObject({ stop: "refused", text: "No." });
    expect(
      readChatCompletion(
        completion({ message: { role: "assistant", content: "", refusal: null }, finish_reason: "stop" }),
        "l",
        "m",
        1,
      ).stop,
    ).toBe("empty");
    const cached = readChatCompletion(
      completion(
        { message: { role: "assistant", content: "{}", refusal: null }, finish_reason: "stop" },
        { prompt_tokens_details: { cached_tokens: 80 }, completion_tokens_details: { reasoning_tokens: 30 } },
      ),
      "l",
      "m",
      1,
    );
    expect(cached).toMatchObject({
      stop: "end",
      usage: { input_tokens: 20, cache_read_tokens: 80, output_tokens: 50, reasoning_tokens: 30 },
    });
  });
});

describe("Anthropic request bodies", () => {
  const settings = {
    provider: "anthropic",
    model: "claude-sonnet-5-5",
    max_tokens: 1000,
    timeout_ms: 1,
    max_input_tokens: 1000,
  };

  it("sends structured output, effort and thinking as the Messages API takes them, and never a temperature", () => {
    const params = messageParams(
      { ...settings, effort: "low", thinking: { budget_tokens: 2048 } },
      { ...request, temperature: 0 },
    );
    expect(params).toMatchObject({
      output_config: { effort: "low", format: { type: "json_schema", schema: format.schema } },
      thinking: { type: "enabled", budget_tokens: 2048 },
    });
    expect(params).not.toHaveProperty("temperature");
    const tool = messageParams({ ...settings, structured_output: "tool" }, request);
    expect(tool).toMatchObject({
      tools: [{ name: "memories", input_schema: format.schema }],
      tool_choice: { type: "tool", name: "memories" },
    });
    expect(tool).not.toHaveProperty("output_config");
  });

  it("reads a forced tool's input as the answer, and the stop reasons", () => {
    const message = (content: unknown[], stop_reason: string) =>
      ({
        id: "m",
        type: "message",
        role: "assistant",
        model: "x",
        content,
        stop_reason,
        stop_sequence: null,
        usage: {
          input_tokens: 10,
          output_tokens: 5,
          cache_read_input_tokens: 7,
          cache_creation_input_tokens: 3,
          output_tokens_details: { thinking_tokens: 2 },
        },
      }) as unknown as Anthropic.Message;
    expect(
      readMessage(
        message([{ type: "tool_use", id: "t", name: "memories", input: { memories: [] } }], "tool_use"),
        "l",
        "x",
        1,
      ),
    ).toMatchObject({
      text: '{"memories":[]}',
      stop: "end",
      usage: { input_tokens: 10, cache_read_tokens: 7, cache_write_tokens: 3, reasoning_tokens: 2 },
    });
    expect(readMessage(message([{ type: "text", text: '{"mem' }], "max_tokens"), "l", "x", 1).stop).toBe("truncated");
    expect(readMessage(message([], "refusal"), "l", "x", 1).stop).toBe("refused");
    expect(readMessage(message([], "end_turn"), "l", "x", 1).stop).toBe("empty");
  });
});

describe("classifying SDK errors", () => {
  it("reads openai v6's timeout (its name is plain \"Error\") and Anthropic's as timeouts", () => {
    const openaiTimeout = new OpenAI.APIConnectionTimeoutError();
    expect(openaiTimeout.name).toBe("Error");
    expect(classifySdkError(openaiTimeout, "call").kind).toBe("timeout");
    expect(classifySdkError(new Anthropic.APIConnectionTimeoutError(), "call").kind).toBe("timeout");
  });

  it("marks a refused connection as deterministic (not retried) and a reset one as transient", () => {
    const refused = new OpenAI.APIConnectionError({
      cause: new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      }),
    });
    const error = classifySdkError(refused, "call");
    expect(error).toMatchObject({ kind: "connection", deterministic: true, retryable: false });
    expect(error.message).toContain("ECONNREFUSED");
    const reset = new OpenAI.APIConnectionError({
      cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    });
    expect(classifySdkError(reset, "call")).toMatchObject({
      kind: "connection",
      deterministic: false,
      retryable: true,
    });
  });

  it("keeps the parameter a 400 names, from the body or from Anthropic's message", () => {
    const openai = classifySdkError(
      {
        status: 400,
        error: {
          error: { message: "Unsupported parameter: 'max_tokens'", param: "max_tokens", type: "invalid_request_error" },
        },
      },
      "call",
    );
    expect(openai.param).toBe("max_tokens");
    const anthropic = classifySdkError(
      {
        status: 400,
        error: {
          type: "error",
          error: { type: "invalid_request_error", message: "temperature: Extra inputs are not permitted" },
        },
      },
      "call",
    );
    expect(anthropic.param).toBe("temperature");
  });
});

describe("the circuit breaker", () => {
  const client = {
    settings: { provider: "openai", model: "gpt-4.1" },
    scope: "judge",
    endpoint: "http://127.0.0.1:1/v1",
  };
  const stopper = () => {
    const stops: RunError[] = [];
    return {
      stops,
      stop: (error: RunError): never => {
        stops.push(error);
        throw error;
      },
    };
  };

  it("stops on the third identical deterministic failure in a row, naming the config, model and URL and the first error", () => {
    const { stops, stop } = stopper();
    const breaker = new CircuitBreaker(stop);
    const refused = (n: number) =>
      new ProviderError(
        "connection",
        `call ${n}: connection failed (ECONNREFUSED)`,
        undefined,
        undefined,
        undefined,
        true,
      );
    breaker.failed(client, refused(1));
    breaker.failed(client, refused(2));
    expect(() => breaker.failed(client, refused(3))).toThrow(CircuitOpenError);
    expect(stops[0]!.message).toMatch(
      /^the judge \(openai gpt-4\.1 at http:\/\/127\.0\.0\.1:1\/v1\) failed the same way 3 times in a row; .* The first: call 1: connection failed/,
    );
  });

  it("never counts transient failures, and a good answer ends a streak", () => {
    const { stops, stop } = stopper();
    const breaker = new CircuitBreaker(stop);
    for (let i = 0; i < 10; i++) breaker.failed(client, new ProviderError("server", "HTTP 500", 500));
    const bad = new ProviderError("client", "HTTP 400", 400, undefined, "temperature");
    breaker.failed(client, bad);
    breaker.failed(client, bad);
    breaker.answered(client);
    breaker.failed(client, bad);
    breaker.failed(client, bad);
    for (let i = 0; i < 4; i++) breaker.judgeAnswer(client, "no ratings");
    breaker.judgeAnswer(client, undefined);
    for (let i = 0; i < 4; i++) breaker.judgeAnswer(client, "no ratings");
    expect(stops).toEqual([]);
    expect(() => breaker.judgeAnswer(client, "no ratings")).toThrow(/answered outside its contract 5 times in a row/);
  });
});
