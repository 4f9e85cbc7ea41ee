import { PREFLIGHT_SYSTEM } from "../../src/providers/preflight.js";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * One answer the model gives. `input_tokens` counts the input neither read from nor written to the
 * prompt cache (Anthropic's `input_tokens`); OpenAI's `prompt_tokens` adds the cached and cache-written
 * tokens to it, as OpenAI reports it. `output_tokens` defaults to the visible text's tokens plus
 * `reasoning_tokens` (both APIs count reasoning inside the output).
 */
export interface ScriptedAnswer {
  text: string;
  input_tokens?: number;
  output_tokens?: number;
  /** Answer after this many ms, as a slow model would. */
  delay_ms?: number;
  /**
   * How the answer ends: `end` (Anthropic `end_turn`, OpenAI `stop`; the default), `max_tokens`
   * (alias `length`: Anthropic `max_tokens`, OpenAI `length`, `text` being the truncated answer),
   * `refusal` (Anthropic stop_reason `refusal`; OpenAI `message.refusal`, content null). Giving
   * `refusal` alone implies `stop: "refusal"`.
   */
  stop?: "end" | "max_tokens" | "length" | "refusal";
  /** The refusal text (default: `text`, or a stock sentence when that is empty). */
  refusal?: string;
  /** Anthropic `usage.output_tokens_details.thinking_tokens`; OpenAI `completion_tokens_details.reasoning_tokens`. */
  reasoning_tokens?: number;
  /** Anthropic `cache_read_input_tokens`; OpenAI `prompt_tokens_details.cached_tokens`. */
  cache_read_tokens?: number;
  /** Anthropic `cache_creation_input_tokens`; OpenAI `prompt_tokens_details.cache_write_tokens`. */
  cache_write_tokens?: number;
}

/** What the server does with one request. */
export type Scripted =
  | string
  | ScriptedAnswer
  | { fault: "rate_limit"; retryAfterSeconds?: number }
  | { fault: "server_error" }
  | { fault: "overloaded" }
  | { fault: "delay"; ms: number }
  | { fault: "drop" }
  /** A 200 whose body is not JSON (a gateway's HTML page); `body` replaces the stock page. */
  | { fault: "non_json"; body?: string }
  /** A 401; `message` replaces the stock "invalid x-api-key" (a gateway that echoes the key it got). */
  | { fault: "unauthorized"; message?: string }
  /** A 400 in the provider's validation-error shape (`param` goes into OpenAI's body). */
  | { fault: "bad_request"; message: string; param?: string };

export interface RecordedRequest {
  protocol: "anthropic" | "openai";
  body: Record<string, unknown>;
  /** The key as received, and the header that carried it. */
  key: string | null;
  keyHeader: "x-api-key" | "bearer" | null;
  system: string;
  /** All user message text, joined. */
  user: string;
  /** The id of the batch that carried this call; absent for a live call. */
  batch?: string;
  /**
   * Set when the server refused the call without asking the responder (missing key, validation 400,
   * unknown model 404) or the responder scripted `bad_request`: the error message sent.
   */
  rejected?: string;
}

export type Responder = (request: RecordedRequest, index: number) => Scripted;

/** How one submitted batch behaves; each call in it is answered by the responder as a live call would be. */
export interface BatchScript {
  /** Status polls answered "in progress" before the batch ends. Default 0. */
  pollsBeforeEnd?: number;
  /** The batch expires instead of completing: every call comes back expired. Default false. */
  expire?: boolean;
}

/** A batch the server holds. */
export interface ServerBatch {
  protocol: RecordedRequest["protocol"];
  id: string;
  /** `rejection`: the call failed validation; its result is that error, the responder is not asked. */
  calls: Array<{ custom_id: string; request: RecordedRequest; rejection?: Rejection }>;
  polls: number;
  state: "in_progress" | "ended" | "expired" | "cancelled";
  script: BatchScript;
}

/** A hit on a batch endpoint (create, upload, retrieve, results, cancel). */
export interface BatchHit {
  method: string;
  path: string;
  /** The key as received. */
  key: string | null;
}

/** How strictly the server validates, and which models and features it lacks. */
export interface ServerOptions {
  /** Play an OpenAI-compatible server (vLLM, Ollama) that lacks some parameters: 400 naming the parameter. */
  compat?: {
    /** Any `response_format` → 400 `response_format is not supported by this server`, param `response_format`. */
    rejectResponseFormat?: boolean;
    /** Any `max_completion_tokens` → 400 `max_completion_tokens is not supported by this server`, param `max_completion_tokens`. */
    rejectMaxCompletionTokens?: boolean;
  };
  /** Models answering 404 (exact names). Default `DEFAULT_RETIRED_MODELS`; `[]` retires none. */
  retiredModels?: readonly string[];
  /** Anthropic models answering 400 to `output_config.format` (no structured outputs). Default none. */
  anthropicNoStructuredOutput?: readonly string[];
  /** `false` turns all request validation off (the server answers whatever it receives, as before). Default true. */
  validate?: boolean;
  /**
   * The bench's preflight checks (known by their system prompt) are validated like any call and
   * answered `{"ok": true}` by the server itself, recorded in `preflights` rather than `requests`.
   * `false` hands them to the responder like any call. Default true.
   */
  answerPreflights?: boolean;
}

/** A refusal of a request: HTTP status and the provider's error body. */
export interface Rejection {
  status: 400 | 404;
  body: unknown;
  /** The error message inside `body`. */
  message: string;
}

export interface ModelServer {
  /** Base URL as the Anthropic SDK takes it. */
  anthropicUrl: string;
  /** Base URL as the OpenAI SDK takes it. */
  openaiUrl: string;
  /** Live model calls (`/v1/messages`, `/chat/completions`), valid or not, the preflight checks aside. */
  requests: RecordedRequest[];
  /** The bench's preflight checks the server answered itself (see `answerPreflights`). */
  preflights: RecordedRequest[];
  /** Every request to a batch or file endpoint, in order. */
  batchHits: BatchHit[];
  batches: ServerBatch[];
  setResponder(responder: Responder): void;
  /** How batches submitted from now on behave (default: end at the first poll). */
  setBatchScript(script: (batch: Pick<ServerBatch, "protocol" | "id" | "calls">) => BatchScript): void;
  /** Replace the server options for requests from now on. */
  setOptions(options: ServerOptions): void;
  close(): Promise<void>;
}

/** Models the 2026 APIs no longer serve (404). */
export const DEFAULT_RETIRED_MODELS: readonly string[] = [
  "claude-3-5-haiku-20241022",
  "claude-3-5-sonnet-20241022",
  "claude-3-7-sonnet-20250219",
  "claude-opus-4-1",
  "claude-opus-4-1-20250805",
  "claude-opus-4-0",
  "claude-opus-4-20250514",
  "claude-sonnet-4-0",
  "claude-sonnet-4-20250514",
  "gpt-4.5-preview",
  "gpt-4-32k",
];

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** Top-level keys of `MessageCreateParamsBase` in @anthropic-ai/sdk 1.12 (no temperature, top_p, top_k). */
const ANTHROPIC_KEYS = new Set([
  "max_tokens",
  "messages",
  "model",
  "cache_control",
  "container",
  "diagnostics",
  "inference_geo",
  "metadata",
  "output_config",
  "service_tier",
  "speed",
  "stop_sequences",
  "stream",
  "system",
  "thinking",
  "tool_choice",
  "tools",
  "user_profile_id",
  "workspace_id",
]);

const OPENAI_KEYS = new Set([
  "model",
  "messages",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "reasoning_effort",
  "response_format",
  "seed",
  "stop",
  "n",
  "user",
  "metadata",
  "store",
  "service_tier",
  "prompt_cache_key",
  "verbosity",
  "stream",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "logprobs",
  "top_logprobs",
  "frequency_penalty",
  "presence_penalty",
]);

const OPENAI_ROLES = ["system", "developer", "user", "assistant", "tool", "function"];
const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh"];
const ANTHROPIC_EFFORTS = ["low", "medium", "high", "xhigh", "max"];

/** Keywords a strict OpenAI json_schema may use, at any node. */
const OPENAI_STRICT_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "description",
  "title",
  "$defs",
  "$ref",
  "default",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
]);

/** Keywords Anthropic structured outputs refuse (`minItems` is refused unless 0 or 1, checked apart). */
const ANTHROPIC_UNSUPPORTED_KEYWORDS = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "maxItems",
  "uniqueItems",
  "patternProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
];

/** A validation failure, turned into the provider's error body by `rejectionOf`. */
class Invalid extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly status: 400 | 404 = 400,
    readonly type: string = "invalid_request_error",
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** Present and not null (both APIs read an explicit null as "not given" for optional parameters). */
const given = (body: Record<string, unknown>, key: string): boolean => body[key] !== undefined && body[key] !== null;
const isInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);
const quoted = (values: string[]): string =>
  `${values
    .slice(0, -1)
    .map((v) => `'${v}'`)
    .join(", ")}, and '${values.at(-1)}'`;

/** OpenAI reasoning models: o1, o3, o4-mini, gpt-5*, except the `*-chat-latest` chat models. */
export function isOpenAIReasoningModel(model: string): boolean {
  return (/^o\d/.test(model) || /^gpt-5/.test(model)) && !/chat-latest$/.test(model);
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((block) => (isObject(block) && typeof block.text === "string" ? block.text : "")).join("");
  return "";
}

/** A Python-tuple rendering of a schema path, as OpenAI's strict-schema errors show it. */
function pyContext(path: string[]): string {
  if (path.length === 0) return "()";
  if (path.length === 1) return `('${path[0]}',)`;
  return `(${path.map((p) => `'${p}'`).join(", ")})`;
}

const isObjectNode = (node: Record<string, unknown>): boolean =>
  node.type === "object" || (Array.isArray(node.type) && node.type.includes("object")) || isObject(node.properties);

/** OpenAI strict mode (Structured Outputs) schema subset. Throws on the first node outside it. */
function checkOpenAIStrictSchema(schema: unknown, label: string, param: string, code: string): void {
  const fail = (path: string[], what: string): never => {
    throw new Invalid(`Invalid schema for ${label}: In context=${pyContext(path)}, ${what}.`, param, code);
  };
  if (!isObject(schema) || schema.type !== "object") {
    const got = isObject(schema) && typeof schema.type === "string" ? schema.type : "None";
    throw new Invalid(
      `Invalid schema for ${label}: schema must be a JSON Schema of 'type: "object"', got 'type: "${got}"'.`,
      param,
      code,
    );
  }
  const walk = (node: unknown, path: string[]): void => {
    if (!isObject(node)) {
      fail(path, "schema must be a JSON object");
      return;
    }
    for (const key of Object.keys(node)) if (!OPENAI_STRICT_KEYWORDS.has(key)) fail(path, `'${key}' is not permitted`);
    if (isObjectNode(node)) {
      if (node.additionalProperties !== false)
        fail(path, "'additionalProperties' is required to be supplied and to be false");
      const keys = isObject(node.properties) ? Object.keys(node.properties) : [];
      const required = Array.isArray(node.required) ? node.required : undefined;
      const missing = keys.find((key) => !required?.includes(key));
      if (keys.length > 0 && (required === undefined || missing !== undefined)) {
        fail(
          path,
          `'required' is required to be supplied and to be an array including every key in properties. Missing '${missing ?? keys[0]}'`,
        );
      }
    }
    if (node.properties !== undefined) {
      if (!isObject(node.properties)) fail(path, "'properties' must be an object");
      for (const [key, sub] of Object.entries(node.properties as Record<string, unknown>))
        walk(sub, [...path, "properties", key]);
    }
    if (Array.isArray(node.items)) node.items.forEach((sub, i) => walk(sub, [...path, "items", String(i)]));
    else if (node.items !== undefined) walk(node.items, [...path, "items"]);
    if (node.anyOf !== undefined) {
      if (!Array.isArray(node.anyOf)) fail(path, "'anyOf' must be an array");
      (node.anyOf as unknown[]).forEach((sub, i) => walk(sub, [...path, "anyOf", String(i)]));
    }
    if (node.$defs !== undefined) {
      if (!isObject(node.$defs)) fail(path, "'$defs' must be an object");
      for (const [key, sub] of Object.entries(node.$defs as Record<string, unknown>))
        walk(sub, [...path, "$defs", key]);
    }
  };
  walk(schema, []);
}

/** Anthropic structured-outputs schema subset (output_config.format and strict tools). */
function checkAnthropicSchema(schema: unknown, at: string): void {
  if (!isObject(schema)) throw new Invalid(`${at}: Input should be a valid dictionary`);
  const resolve = (ref: string): unknown => {
    let node: unknown = schema;
    for (const raw of ref.slice(2).split("/")) {
      const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      node = isObject(node) ? node[part] : undefined;
    }
    return node;
  };
  const walk = (node: unknown, path: string, refs: string[]): void => {
    if (typeof node === "boolean") return;
    if (!isObject(node)) throw new Invalid(`${path}: Input should be a valid dictionary`);
    for (const key of ANTHROPIC_UNSUPPORTED_KEYWORDS) {
      if (key in node) throw new Invalid(`${path}: '${key}' is not supported in structured outputs schemas`);
    }
    if ("minItems" in node && node.minItems !== 0 && node.minItems !== 1) {
      throw new Invalid(`${path}: 'minItems' values other than 0 or 1 are not supported in structured outputs schemas`);
    }
    if (isObjectNode(node) && node.additionalProperties !== false) {
      throw new Invalid(`${path}: For 'object' type, 'additionalProperties' must be explicitly set to false`);
    }
    if (node.$ref !== undefined) {
      const ref = node.$ref;
      if (typeof ref !== "string") throw new Invalid(`${path}.$ref: Input should be a valid string`);
      if (ref === "#" || refs.includes(ref))
        throw new Invalid(`${path}: recursive '$ref' (${ref}) is not supported in structured outputs schemas`);
      if (!ref.startsWith("#/"))
        throw new Invalid(`${path}: external '$ref' (${ref}) is not supported in structured outputs schemas`);
      const target = resolve(ref);
      if (target === undefined) throw new Invalid(`${path}: '$ref' ${ref} does not resolve to a definition`);
      walk(target, `${at}${ref.slice(1).replace(/\//g, ".")}`, [...refs, ref]);
    }
    if (isObject(node.properties))
      for (const [key, sub] of Object.entries(node.properties)) walk(sub, `${path}.properties.${key}`, refs);
    if (Array.isArray(node.items)) node.items.forEach((sub, i) => walk(sub, `${path}.items.${i}`, refs));
    else if (node.items !== undefined) walk(node.items, `${path}.items`, refs);
    if (Array.isArray(node.prefixItems))
      node.prefixItems.forEach((sub, i) => walk(sub, `${path}.prefixItems.${i}`, refs));
    for (const list of ["anyOf", "allOf"] as const) {
      const subs = node[list];
      if (Array.isArray(subs)) subs.forEach((sub, i) => walk(sub, `${path}.${list}.${i}`, refs));
    }
    if (isObject(node.additionalProperties)) walk(node.additionalProperties, `${path}.additionalProperties`, refs);
    for (const defs of ["$defs", "definitions"] as const) {
      const entries = node[defs];
      if (isObject(entries))
        for (const [key, sub] of Object.entries(entries))
          walk(sub, `${path}.${defs}.${key}`, [...refs, `#/${defs}/${key}`]);
    }
  };
  walk(schema, at, []);
}

function extraKeys(object: Record<string, unknown>, allowed: string[], at: string): void {
  const extra = Object.keys(object).find((key) => !allowed.includes(key));
  if (extra !== undefined) throw new Invalid(`${at}${extra}: Extra inputs are not permitted`);
}

function checkAnthropic(body: unknown, options: ServerOptions): void {
  if (!isObject(body)) throw new Invalid("Input should be a valid dictionary");
  extraKeys(body, [...ANTHROPIC_KEYS], "");
  if (body.model === undefined) throw new Invalid("model: Field required");
  if (typeof body.model !== "string") throw new Invalid("model: Input should be a valid string");
  if (body.max_tokens === undefined) throw new Invalid("max_tokens: Field required");
  if (!isInteger(body.max_tokens)) throw new Invalid("max_tokens: Input should be a valid integer");
  // The SDK documents `max_tokens: 0` as a valid cache pre-warm (no answer generated).
  if (body.max_tokens < 0) throw new Invalid("max_tokens: Input should be greater than or equal to 0");
  if (body.messages === undefined) throw new Invalid("messages: Field required");
  if (!Array.isArray(body.messages)) throw new Invalid("messages: Input should be a valid list");
  if (body.messages.length === 0) throw new Invalid("messages: at least one message is required");
  const messages = body.messages as unknown[];
  messages.forEach((message, i) => {
    if (!isObject(message)) throw new Invalid(`messages.${i}: Input should be a valid dictionary`);
    if (message.role !== "user" && message.role !== "assistant" && message.role !== "system") {
      throw new Invalid(`messages.${i}.role: Input should be 'user', 'assistant' or 'system'`);
    }
    const { content } = message;
    if (typeof content !== "string" && !Array.isArray(content))
      throw new Invalid(`messages.${i}.content: Input should be a valid string or a valid list`);
    const finalAssistant = i === messages.length - 1 && message.role === "assistant";
    if (content.length === 0 && !finalAssistant)
      throw new Invalid(
        `messages.${i}: all messages must have non-empty content except for the optional final assistant message`,
      );
    if (Array.isArray(content)) {
      content.forEach((block, j) => {
        if (!isObject(block) || typeof block.type !== "string")
          throw new Invalid(`messages.${i}.content.${j}: Input should be a valid dictionary with a 'type'`);
        if (block.type === "text" && (typeof block.text !== "string" || block.text === ""))
          throw new Invalid("messages: text content blocks must be non-empty");
      });
    }
  });
  const first = messages.find((m) => (m as { role: string }).role !== "system") as { role: string } | undefined;
  if (first !== undefined && first.role !== "user")
    throw new Invalid('messages: first message must use the "user" role');
  if (body.system !== undefined) {
    if (Array.isArray(body.system)) {
      body.system.forEach((block: unknown, i: number) => {
        if (!isObject(block)) throw new Invalid(`system.${i}: Input should be a valid dictionary`);
        if (block.type !== "text") throw new Invalid(`system.${i}.type: Input should be 'text'`);
        extraKeys(block, ["type", "text", "cache_control", "citations"], `system.${i}.`);
        if (typeof block.text !== "string" || block.text === "")
          throw new Invalid("system: text content blocks must be non-empty");
      });
    } else if (typeof body.system !== "string")
      throw new Invalid("system: Input should be a valid string or a valid list");
  }
  const model = body.model;
  const retired = options.retiredModels ?? DEFAULT_RETIRED_MODELS;
  if (retired.includes(model)) throw new Invalid(`model: ${model}`, null, null, 404, "not_found_error");

  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) throw new Invalid("metadata: Input should be a valid dictionary");
    extraKeys(body.metadata, ["user_id"], "metadata.");
  }
  if (body.service_tier !== undefined && body.service_tier !== "auto" && body.service_tier !== "standard_only") {
    throw new Invalid("service_tier: Input should be 'auto' or 'standard_only'");
  }
  if (given(body, "speed") && body.speed !== "standard" && body.speed !== "fast")
    throw new Invalid("speed: Input should be 'standard' or 'fast'");
  if (
    body.stop_sequences !== undefined &&
    (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s) => typeof s !== "string"))
  ) {
    throw new Invalid("stop_sequences: Input should be a valid list of strings");
  }

  let thinkingOn = false;
  if (body.thinking !== undefined) {
    const thinking = body.thinking;
    if (!isObject(thinking)) throw new Invalid("thinking: Input should be a valid dictionary");
    const display = (): void => {
      if (given(thinking, "display") && thinking.display !== "summarized" && thinking.display !== "omitted") {
        throw new Invalid(`thinking.${String(thinking.type)}.display: Input should be 'summarized' or 'omitted'`);
      }
    };
    switch (thinking.type) {
      case "adaptive":
        extraKeys(thinking, ["type", "display"], "thinking.adaptive.");
        display();
        thinkingOn = true;
        break;
      case "disabled":
        extraKeys(thinking, ["type"], "thinking.disabled.");
        break;
      case "between_tools": // in the installed SDK's ThinkingConfigParam
        extraKeys(thinking, ["type"], "thinking.between_tools.");
        break;
      case "enabled": {
        extraKeys(thinking, ["type", "budget_tokens", "display"], "thinking.enabled.");
        display();
        const budget = thinking.budget_tokens;
        if (budget === undefined) throw new Invalid("thinking.enabled.budget_tokens: Field required");
        if (!isInteger(budget)) throw new Invalid("thinking.enabled.budget_tokens: Input should be a valid integer");
        if (budget < 1024)
          throw new Invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
        if (budget >= body.max_tokens) {
          throw new Invalid(
            `\`max_tokens\` must be greater than \`thinking.budget_tokens\` (got max_tokens=${body.max_tokens}, thinking.budget_tokens=${budget})`,
          );
        }
        thinkingOn = true;
        break;
      }
      default:
        throw new Invalid(
          `thinking: Input tag '${String(thinking.type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive', 'between_tools'`,
        );
    }
  }

  if (body.output_config !== undefined) {
    const config = body.output_config;
    if (!isObject(config)) throw new Invalid("output_config: Input should be a valid dictionary");
    extraKeys(config, ["effort", "format"], "output_config.");
    if (given(config, "effort") && !ANTHROPIC_EFFORTS.includes(config.effort as string)) {
      throw new Invalid("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    }
    if (given(config, "format")) {
      const format = config.format;
      if (!isObject(format)) throw new Invalid("output_config.format: Input should be a valid dictionary");
      if (format.type !== "json_schema") throw new Invalid(`output_config.format.type: Input should be 'json_schema'`);
      extraKeys(format, ["type", "schema"], "output_config.format.");
      if (format.schema === undefined) throw new Invalid("output_config.format.schema: Field required");
      if ((options.anthropicNoStructuredOutput ?? []).includes(model)) {
        throw new Invalid(`output_config.format: structured outputs are not supported for model ${model}`);
      }
      checkAnthropicSchema(format.schema, "output_config.format.schema");
    }
  }

  const toolNames: string[] = [];
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) throw new Invalid("tools: Input should be a valid list");
    body.tools.forEach((tool: unknown, i: number) => {
      if (!isObject(tool)) throw new Invalid(`tools.${i}: Input should be a valid dictionary`);
      if (typeof tool.name === "string") toolNames.push(tool.name);
      if (tool.type !== undefined && tool.type !== null && tool.type !== "custom") return; // a server tool (web search, code execution, …)
      const at = `tools.${i}.custom.`;
      extraKeys(
        tool,
        [
          "name",
          "description",
          "input_schema",
          "strict",
          "cache_control",
          "type",
          "allowed_callers",
          "defer_loading",
          "eager_input_streaming",
          "input_examples",
        ],
        at,
      );
      if (tool.name === undefined) throw new Invalid(`${at}name: Field required`);
      if (typeof tool.name !== "string" || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name))
        throw new Invalid(`${at}name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
      if (tool.input_schema === undefined) throw new Invalid(`${at}input_schema: Field required`);
      if (!isObject(tool.input_schema)) throw new Invalid(`${at}input_schema: Input should be a valid dictionary`);
      if (tool.input_schema.type !== "object") throw new Invalid(`${at}input_schema.type: Input should be 'object'`);
      if (tool.strict === true) checkAnthropicSchema(tool.input_schema, `tools.${i}.input_schema`);
    });
    const duplicate = toolNames.find((name, i) => toolNames.indexOf(name) !== i);
    if (duplicate !== undefined) throw new Invalid(`tools: Tool names must be unique (${duplicate} appears twice)`);
  }

  if (body.tool_choice !== undefined) {
    const choice = body.tool_choice;
    if (!isObject(choice)) throw new Invalid("tool_choice: Input should be a valid dictionary");
    switch (choice.type) {
      case "auto":
      case "any":
        extraKeys(choice, ["type", "disable_parallel_tool_use"], `tool_choice.${choice.type}.`);
        break;
      case "none":
        extraKeys(choice, ["type"], "tool_choice.none.");
        break;
      case "tool":
        extraKeys(choice, ["type", "name", "disable_parallel_tool_use"], "tool_choice.tool.");
        if (typeof choice.name !== "string") throw new Invalid("tool_choice.tool.name: Field required");
        break;
      default:
        throw new Invalid(
          `tool_choice: Input tag '${String(choice.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`,
        );
    }
    const forced = choice.type === "any" || choice.type === "tool";
    if (forced && thinkingOn) throw new Invalid("Thinking may not be enabled when tool_choice forces tool use.");
    if (forced && toolNames.length === 0)
      throw new Invalid(`tool_choice: tool_choice.type '${choice.type}' requires at least one tool in 'tools'`);
    if (choice.type === "tool" && !toolNames.includes(choice.name as string)) {
      throw new Invalid(
        `tool_choice.name: Tool '${String(choice.name)}' not found in 'tools' (have: ${toolNames.join(", ")})`,
      );
    }
  }
}

function checkOpenAI(body: unknown, options: ServerOptions): void {
  if (!isObject(body)) {
    throw new Invalid(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
    );
  }
  const unknown = Object.keys(body).filter((key) => !OPENAI_KEYS.has(key));
  if (unknown.length === 1) throw new Invalid(`Unrecognized request argument supplied: ${unknown[0]}`);
  if (unknown.length > 1) throw new Invalid(`Unrecognized request arguments supplied: ${unknown.join(", ")}`);
  if (typeof body.model !== "string" || body.model === "") throw new Invalid("you must provide a model parameter");
  const model = body.model;
  if (body.messages === undefined)
    throw new Invalid("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(body.messages))
    throw new Invalid(
      `Invalid type for 'messages': expected an array of objects, but got ${typeof body.messages} instead.`,
      "messages",
      "invalid_type",
    );
  if (body.messages.length === 0) {
    throw new Invalid(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  const messages = body.messages as unknown[];
  messages.forEach((message, i) => {
    if (!isObject(message))
      throw new Invalid(
        `Invalid type for 'messages[${i}]': expected an object, but got ${typeof message} instead.`,
        `messages[${i}]`,
        "invalid_type",
      );
    if (!OPENAI_ROLES.includes(message.role as string)) {
      throw new Invalid(
        `Invalid value: '${String(message.role)}'. Supported values are: ${quoted(OPENAI_ROLES)}.`,
        `messages[${i}].role`,
        "invalid_value",
      );
    }
  });
  const retired = options.retiredModels ?? DEFAULT_RETIRED_MODELS;
  if (retired.includes(model))
    throw new Invalid(
      `The model \`${model}\` does not exist or you do not have access to it.`,
      null,
      "model_not_found",
      404,
    );

  if (options.compat?.rejectResponseFormat && body.response_format !== undefined) {
    throw new Invalid("response_format is not supported by this server", "response_format");
  }
  if (options.compat?.rejectMaxCompletionTokens && body.max_completion_tokens !== undefined) {
    throw new Invalid("max_completion_tokens is not supported by this server", "max_completion_tokens");
  }

  const reasoning = isOpenAIReasoningModel(model);
  if (reasoning) {
    if (given(body, "max_tokens")) {
      throw new Invalid(
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        "max_tokens",
        "unsupported_parameter",
      );
    }
    const defaults: Array<[string, number]> = [
      ["temperature", 1],
      ["top_p", 1],
      ["presence_penalty", 0],
      ["frequency_penalty", 0],
    ];
    for (const [key, value] of defaults) {
      if (given(body, key) && body[key] !== value) {
        throw new Invalid(
          `Unsupported value: '${key}' does not support ${JSON.stringify(body[key])} with this model. Only the default (${value}) value is supported.`,
          key,
          "unsupported_value",
        );
      }
    }
    if (given(body, "reasoning_effort") && !REASONING_EFFORTS.includes(body.reasoning_effort as string)) {
      throw new Invalid(
        `Unsupported value: 'reasoning_effort' does not support ${JSON.stringify(body.reasoning_effort)} with this model. Supported values are: ${quoted(REASONING_EFFORTS)}.`,
        "reasoning_effort",
        "unsupported_value",
      );
    }
  } else if (given(body, "reasoning_effort")) {
    throw new Invalid(
      "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
      "reasoning_effort",
      "unsupported_parameter",
    );
  }
  if (given(body, "max_tokens") && given(body, "max_completion_tokens")) {
    throw new Invalid(
      "Invalid request: 'max_tokens' and 'max_completion_tokens' cannot both be set. Use 'max_completion_tokens'.",
      "max_tokens",
      "invalid_request",
    );
  }
  for (const key of ["max_tokens", "max_completion_tokens"]) {
    if (!given(body, key)) continue;
    if (!isInteger(body[key]))
      throw new Invalid(
        `Invalid type for '${key}': expected an integer, but got ${typeof body[key]} instead.`,
        key,
        "invalid_type",
      );
    if ((body[key] as number) < 1) {
      throw new Invalid(
        `Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${body[key] as number} instead.`,
        key,
        "integer_below_min_value",
      );
    }
  }
  for (const [key, max] of [
    ["temperature", 2],
    ["top_p", 1],
  ] as const) {
    if (!given(body, key)) continue;
    const value = body[key];
    if (typeof value !== "number")
      throw new Invalid(
        `Invalid type for '${key}': expected a decimal, but got ${typeof value} instead.`,
        key,
        "invalid_type",
      );
    if (value < 0)
      throw new Invalid(
        `Invalid '${key}': decimal below minimum value. Expected a value >= 0, but got ${value} instead.`,
        key,
        "decimal_below_min_value",
      );
    if (value > max)
      throw new Invalid(
        `Invalid '${key}': decimal above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
        key,
        "decimal_above_max_value",
      );
  }

  if (body.response_format !== undefined) {
    const format = body.response_format;
    if (!isObject(format))
      throw new Invalid("Invalid type for 'response_format': expected an object.", "response_format", "invalid_type");
    switch (format.type) {
      case "text":
        break;
      case "json_object":
        if (!/json/i.test(messages.map((m) => contentText((m as { content?: unknown }).content)).join("\n"))) {
          throw new Invalid(
            "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
            "messages",
          );
        }
        break;
      case "json_schema": {
        const spec = format.json_schema;
        if (spec === undefined)
          throw new Invalid(
            "Missing required parameter: 'response_format.json_schema'.",
            "response_format.json_schema",
            "missing_required_parameter",
          );
        if (!isObject(spec))
          throw new Invalid(
            "Invalid type for 'response_format.json_schema': expected an object.",
            "response_format.json_schema",
            "invalid_type",
          );
        const extra = Object.keys(spec).find((key) => !["name", "schema", "strict", "description"].includes(key));
        if (extra !== undefined)
          throw new Invalid(
            `Unknown parameter: 'response_format.json_schema.${extra}'.`,
            `response_format.json_schema.${extra}`,
            "unknown_parameter",
          );
        if (spec.name === undefined)
          throw new Invalid(
            "Missing required parameter: 'response_format.json_schema.name'.",
            "response_format.json_schema.name",
            "missing_required_parameter",
          );
        if (typeof spec.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
          throw new Invalid(
            "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.",
            "response_format.json_schema.name",
            "invalid_value",
          );
        }
        if (spec.schema !== undefined && !isObject(spec.schema)) {
          throw new Invalid(
            "Invalid type for 'response_format.json_schema.schema': expected an object.",
            "response_format.json_schema.schema",
            "invalid_type",
          );
        }
        if (spec.strict === true)
          checkOpenAIStrictSchema(
            spec.schema,
            `response_format '${spec.name}'`,
            "response_format",
            "invalid_json_schema",
          );
        break;
      }
      default:
        throw new Invalid(
          `Invalid value: '${String(format.type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`,
          "response_format.type",
          "invalid_value",
        );
    }
  }

  const functionNames: string[] = [];
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools))
      throw new Invalid("Invalid type for 'tools': expected an array of objects.", "tools", "invalid_type");
    body.tools.forEach((tool: unknown, i: number) => {
      if (!isObject(tool))
        throw new Invalid(`Invalid type for 'tools[${i}]': expected an object.`, `tools[${i}]`, "invalid_type");
      if (tool.type === "custom") return;
      if (tool.type !== "function")
        throw new Invalid(
          `Invalid value: '${String(tool.type)}'. Supported values are: 'function' and 'custom'.`,
          `tools[${i}].type`,
          "invalid_value",
        );
      const fn = tool.function;
      if (!isObject(fn))
        throw new Invalid(
          `Missing required parameter: 'tools[${i}].function'.`,
          `tools[${i}].function`,
          "missing_required_parameter",
        );
      if (typeof fn.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
        throw new Invalid(
          `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.`,
          `tools[${i}].function.name`,
          "invalid_value",
        );
      }
      functionNames.push(fn.name);
      if (fn.strict === true)
        checkOpenAIStrictSchema(
          fn.parameters,
          `function '${fn.name}'`,
          `tools[${i}].function.parameters`,
          "invalid_function_parameters",
        );
    });
  }
  if (given(body, "tool_choice")) {
    const choice = body.tool_choice;
    if (!hasTools)
      throw new Invalid(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        "tool_choice",
      );
    if (typeof choice === "string") {
      if (!["none", "auto", "required"].includes(choice)) {
        throw new Invalid(
          `Invalid value: '${choice}'. Supported values are: 'none', 'auto', and 'required'.`,
          "tool_choice",
          "invalid_value",
        );
      }
    } else if (isObject(choice) && choice.type === "function") {
      const name = isObject(choice.function) ? choice.function.name : undefined;
      if (typeof name !== "string")
        throw new Invalid(
          "Missing required parameter: 'tool_choice.function.name'.",
          "tool_choice.function.name",
          "missing_required_parameter",
        );
      if (!functionNames.includes(name))
        throw new Invalid(
          `Invalid value for 'tool_choice': function '${name}' is not one of the functions in 'tools'.`,
          "tool_choice",
        );
    } else if (!isObject(choice) || !["allowed_tools", "custom"].includes(choice.type as string)) {
      throw new Invalid("Invalid value for 'tool_choice'.", "tool_choice", "invalid_value");
    }
  }
  if (given(body, "parallel_tool_calls") && !hasTools) {
    throw new Invalid(
      "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.",
      "parallel_tool_calls",
    );
  }
}

function errorBodyOf(protocol: RecordedRequest["protocol"], error: Invalid): unknown {
  if (protocol === "anthropic") return { type: "error", error: { type: error.type, message: error.message } };
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

/**
 * How the 2026 API would refuse this request body (400 invalid request, 404 unknown model), in the
 * provider's error-body shape; undefined when it would take it. Pure: no HTTP, no key check.
 */
export function rejectionOf(
  protocol: RecordedRequest["protocol"],
  body: unknown,
  options: ServerOptions = {},
): Rejection | undefined {
  try {
    if (protocol === "anthropic") checkAnthropic(body, options);
    else checkOpenAI(body, options);
    return undefined;
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return { status: error.status, body: errorBodyOf(protocol, error), message: error.message };
  }
}

/** A scripted `bad_request` fault as the rejection the provider would send. */
function badRequest(protocol: RecordedRequest["protocol"], fault: { message: string; param?: string }): Rejection {
  return {
    status: 400,
    body: errorBodyOf(protocol, new Invalid(fault.message, fault.param ?? null)),
    message: fault.message,
  };
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The error body of a scripted fault or a protocol error (kept as it always was). */
function errorBody(protocol: RecordedRequest["protocol"], type: string, message: string): unknown {
  return protocol === "anthropic"
    ? { type: "error", error: { type, message } }
    : { error: { type, message, code: type } };
}

/** The JSON object a forced tool call carries as its input: the answer text parsed, `{}` when it is not a JSON object. */
function toolInput(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** The tool a request forces: Anthropic `{type:"tool", name}` / `{type:"any"}` (the first tool); OpenAI a named function or `required`. */
function forcedTool(
  protocol: RecordedRequest["protocol"],
  body: Record<string, unknown>,
): { name: string; named: boolean } | undefined {
  const choice = body.tool_choice;
  const tools = Array.isArray(body.tools) ? (body.tools as unknown[]).filter(isObject) : [];
  if (protocol === "anthropic") {
    if (!isObject(choice)) return undefined;
    if (choice.type === "tool" && typeof choice.name === "string") return { name: choice.name, named: true };
    const first = tools.find((t) => typeof t.name === "string");
    if (choice.type === "any" && first) return { name: first.name as string, named: false };
    return undefined;
  }
  if (
    isObject(choice) &&
    choice.type === "function" &&
    isObject(choice.function) &&
    typeof choice.function.name === "string"
  ) {
    return { name: choice.function.name, named: true };
  }
  const first = tools
    .map((t) => (isObject(t.function) ? t.function.name : undefined))
    .find((n) => typeof n === "string");
  if (choice === "required" && typeof first === "string") return { name: first, named: false };
  return undefined;
}

const STOCK_REFUSAL = "I'm sorry, but I can't help with that.";

function answer(
  protocol: RecordedRequest["protocol"],
  model: string,
  scripted: string | ScriptedAnswer,
  request: RecordedRequest,
): unknown {
  const s: ScriptedAnswer = typeof scripted === "string" ? { text: scripted } : scripted;
  const stop = s.stop ?? (s.refusal !== undefined ? "refusal" : "end");
  const truncated = stop === "max_tokens" || stop === "length";
  const refused = stop === "refusal";
  const refusal = s.refusal ?? (s.text || STOCK_REFUSAL);
  const visible = refused ? refusal : s.text;
  const reasoning = s.reasoning_tokens;
  const cacheRead = s.cache_read_tokens ?? 0;
  const cacheWrite = s.cache_write_tokens ?? 0;
  const input = s.input_tokens ?? Math.ceil((request.system.length + request.user.length) / 4);
  let output = s.output_tokens ?? Math.ceil(visible.length / 4) + (reasoning ?? 0);
  const body = request.body;
  const forced = truncated || refused ? undefined : forcedTool(protocol, body);

  if (protocol === "anthropic") {
    const thinking =
      isObject(body.thinking) && (body.thinking.type === "enabled" || body.thinking.type === "adaptive")
        ? body.thinking
        : undefined;
    const content: unknown[] = [];
    let stopReason: string;
    if (body.max_tokens === 0) {
      // A cache pre-warm: nothing generated.
      stopReason = "max_tokens";
      output = 0;
    } else {
      if (thinking)
        content.push({
          type: "thinking",
          thinking: thinking.display === "omitted" ? "" : "Thinking about the request.",
          signature: "sig",
        });
      if (forced) {
        content.push({
          type: "tool_use",
          id: "toolu_test",
          name: forced.name,
          input: toolInput(s.text),
          caller: { type: "direct" },
        });
        stopReason = "tool_use";
      } else {
        if (visible !== "") content.push({ type: "text", text: visible, citations: null });
        stopReason = refused ? "refusal" : truncated ? "max_tokens" : "end_turn";
      }
    }
    const usage: Record<string, unknown> = {
      input_tokens: input,
      output_tokens: output,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
    };
    if (reasoning !== undefined) usage.output_tokens_details = { thinking_tokens: reasoning };
    return {
      id: "msg_test",
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      stop_details: refused ? { type: "refusal", category: null, explanation: null } : null,
      usage,
    };
  }
  const message: Record<string, unknown> = { role: "assistant", content: s.text, refusal: null, annotations: [] };
  let finish = truncated ? "length" : "stop";
  if (refused) {
    message.content = null;
    message.refusal = refusal;
  } else if (forced) {
    message.content = null;
    message.tool_calls = [
      {
        id: "call_test",
        type: "function",
        function: { name: forced.name, arguments: JSON.stringify(toolInput(s.text)) },
      },
    ];
    // A named function choice ends with "stop"; `required` with "tool_calls".
    finish = forced.named ? "stop" : "tool_calls";
  }
  const prompt = input + cacheRead + cacheWrite;
  const promptDetails: Record<string, number> = { cached_tokens: cacheRead, audio_tokens: 0 };
  if (s.cache_write_tokens !== undefined) promptDetails.cache_write_tokens = cacheWrite;
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: output,
      total_tokens: prompt + output,
      prompt_tokens_details: promptDetails,
      completion_tokens_details: {
        reasoning_tokens: reasoning ?? 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  };
}

/** A model call as the server records it, from a live request body or a call inside a batch. */
function recordCall(protocol: RecordedRequest["protocol"], rawBody: unknown, req: IncomingMessage): RecordedRequest {
  const body = isObject(rawBody) ? rawBody : {};
  const apiKey = req.headers["x-api-key"];
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const messages = (Array.isArray(body.messages) ? body.messages : []).filter(isObject) as {
    role?: unknown;
    content?: unknown;
  }[];
  const system =
    protocol === "anthropic"
      ? contentText(body.system)
      : contentText(messages.find((m) => m.role === "system")?.content);
  return {
    protocol,
    body,
    key: typeof apiKey === "string" ? apiKey : (bearer ?? null),
    keyHeader: typeof apiKey === "string" ? "x-api-key" : bearer ? "bearer" : null,
    system,
    user: messages
      .filter((m) => m.role === "user")
      .map((m) => contentText(m.content))
      .join("\n"),
  };
}

type BatchOutcome = Scripted | "expired" | "cancelled" | { rejection: Rejection };

/** The result line of one call of an ended batch, in the batch protocol's shape. */
function batchResultLine(
  batch: ServerBatch,
  call: ServerBatch["calls"][number],
  outcome: BatchOutcome,
  index: number,
): { file: "output" | "error"; line: unknown } {
  const { protocol } = batch;
  const model = String(call.request.body.model);
  if (outcome === "expired" || outcome === "cancelled") {
    if (protocol === "anthropic")
      return {
        file: "output",
        line: { custom_id: call.custom_id, result: { type: outcome === "expired" ? "expired" : "canceled" } },
      };
    const error =
      outcome === "expired"
        ? { code: "batch_expired", message: "This request could not be executed before the completion window expired." }
        : { code: "batch_cancelled", message: "This request was not executed because the batch was cancelled." };
    return { file: "error", line: { id: `batch_req_${index}`, custom_id: call.custom_id, response: null, error } };
  }
  if (
    typeof outcome !== "string" &&
    ("rejection" in outcome || ("fault" in outcome && outcome.fault === "bad_request"))
  ) {
    // Invalid params become that call's error, as the batch APIs report it.
    const rejection = "rejection" in outcome ? outcome.rejection : badRequest(protocol, outcome);
    call.request.rejected = rejection.message;
    if (protocol === "anthropic")
      return {
        file: "output",
        line: { custom_id: call.custom_id, result: { type: "errored", error: rejection.body } },
      };
    return {
      file: "error",
      line: {
        id: `batch_req_${index}`,
        custom_id: call.custom_id,
        response: { status_code: rejection.status, request_id: `req_${index}`, body: rejection.body },
        error: null,
      },
    };
  }
  if (typeof outcome === "string" || "text" in outcome) {
    const body = answer(protocol, model, outcome, call.request);
    if (protocol === "anthropic")
      return { file: "output", line: { custom_id: call.custom_id, result: { type: "succeeded", message: body } } };
    return {
      file: "output",
      line: {
        id: `batch_req_${index}`,
        custom_id: call.custom_id,
        response: { status_code: 200, request_id: `req_${index}`, body },
        error: null,
      },
    };
  }
  // Any other fault the responder scripts for a call becomes that call's error inside the batch.
  const type =
    outcome.fault === "rate_limit"
      ? "rate_limit_error"
      : outcome.fault === "overloaded"
        ? "overloaded_error"
        : "api_error";
  if (protocol === "anthropic") {
    return {
      file: "output",
      line: {
        custom_id: call.custom_id,
        result: { type: "errored", error: { type: "error", error: { type, message: `scripted ${outcome.fault}` } } },
      },
    };
  }
  return {
    file: "error",
    line: {
      id: `batch_req_${index}`,
      custom_id: call.custom_id,
      response: {
        status_code: 500,
        request_id: `req_${index}`,
        body: { error: { type, code: type, message: `scripted ${outcome.fault}` } },
      },
      error: null,
    },
  };
}

/**
 * A loopback server speaking enough of Anthropic's `POST /v1/messages` and OpenAI's
 * `POST /v1/chat/completions` for the real SDK clients, validating each request as the 2026 APIs do
 * (see `rejectionOf`), with scripted answers (stop reasons, refusals, forced tool calls, thinking,
 * reasoning and cache usage) and faults; and both batch protocols: Anthropic Message Batches (create,
 * retrieve, results JSONL, cancel) and OpenAI Batch (file upload, create, retrieve, output and error
 * files, cancel), each batch in progress for a scripted number of polls, then ended or expired, an
 * invalid call or a scripted fault of a call becoming its error.
 */
export async function startModelServer(
  responder: Responder = () => "{}",
  initialOptions: ServerOptions = {},
): Promise<ModelServer> {
  let respond = responder;
  let options = initialOptions;
  const requests: RecordedRequest[] = [];
  const preflights: RecordedRequest[] = [];
  const batchHits: BatchHit[] = [];
  const batches: ServerBatch[] = [];
  const files = new Map<string, string>();
  let batchScript: (batch: Pick<ServerBatch, "protocol" | "id" | "calls">) => BatchScript = () => ({});
  let base = "";
  let callIndex = 0;

  const validate = (protocol: RecordedRequest["protocol"], body: unknown): Rejection | undefined =>
    options.validate === false ? undefined : rejectionOf(protocol, body, options);

  /** Anthropic's MessageBatch object for a batch as it stands. */
  const messageBatch = (batch: ServerBatch) => {
    const ended = batch.state !== "in_progress";
    const count = batch.calls.length;
    const errored = batch.state === "ended" ? batch.calls.filter((c) => c.rejection).length : 0;
    return {
      id: batch.id,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: ended
        ? {
            processing: 0,
            succeeded: batch.state === "ended" ? count - errored : 0,
            errored,
            canceled: batch.state === "cancelled" ? count : 0,
            expired: batch.state === "expired" ? count : 0,
          }
        : { processing: count, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      created_at: "2026-01-01T00:00:00Z",
      expires_at: "2026-01-02T00:00:00Z",
      ended_at: ended ? "2026-01-01T01:00:00Z" : null,
      archived_at: null,
      cancel_initiated_at: batch.state === "cancelled" ? "2026-01-01T00:30:00Z" : null,
      results_url: ended ? `${base}/v1/messages/batches/${batch.id}/results` : null,
    };
  };

  /** The result files of an ended batch, written once: `output` and `error` JSONL. */
  const resultFiles = (batch: ServerBatch): { output: string; error: string } => {
    const lines = { output: [] as string[], error: [] as string[] };
    batch.calls.forEach((call, i) => {
      const outcome: BatchOutcome =
        batch.state === "expired"
          ? "expired"
          : batch.state === "cancelled"
            ? "cancelled"
            : call.rejection
              ? { rejection: call.rejection }
              : respond(call.request, callIndex++);
      const { file, line } = batchResultLine(batch, call, outcome, i);
      lines[file].push(JSON.stringify(line));
    });
    return { output: lines.output.map((l) => `${l}\n`).join(""), error: lines.error.map((l) => `${l}\n`).join("") };
  };

  /** OpenAI's Batch object for a batch as it stands; ending writes its output and error files. */
  const openaiBatch = (batch: ServerBatch) => {
    const status = batch.state === "ended" ? "completed" : batch.state;
    const failed = batch.state === "ended" ? batch.calls.filter((c) => c.rejection).length : 0;
    const out: Record<string, unknown> = {
      id: batch.id,
      object: "batch",
      endpoint: "/v1/chat/completions",
      input_file_id: `file-input-${batch.id}`,
      completion_window: "24h",
      status,
      created_at: 1_700_000_000,
      request_counts: {
        total: batch.calls.length,
        completed: batch.state === "ended" ? batch.calls.length - failed : 0,
        failed,
      },
    };
    if (batch.state !== "in_progress") {
      if (!files.has(`file-output-${batch.id}`) && !files.has(`file-error-${batch.id}`)) {
        const written = resultFiles(batch);
        if (written.output) files.set(`file-output-${batch.id}`, written.output);
        if (written.error) files.set(`file-error-${batch.id}`, written.error);
      }
      if (files.has(`file-output-${batch.id}`)) out.output_file_id = `file-output-${batch.id}`;
      if (files.has(`file-error-${batch.id}`)) out.error_file_id = `file-error-${batch.id}`;
    }
    return out;
  };

  const poll = (batch: ServerBatch) => {
    if (batch.state !== "in_progress") return;
    batch.polls++;
    if (batch.polls > (batch.script.pollsBeforeEnd ?? 0)) batch.state = batch.script.expire ? "expired" : "ended";
  };

  const createBatch = (protocol: ServerBatch["protocol"], calls: ServerBatch["calls"]): ServerBatch => {
    const id = protocol === "anthropic" ? `msgbatch_${batches.length + 1}` : `batch_${batches.length + 1}`;
    for (const call of calls) {
      call.request.batch = id;
      const rejection = validate(protocol, call.request.body);
      if (rejection) {
        call.rejection = rejection;
        call.request.rejected = rejection.message;
      }
    }
    const batch: ServerBatch = { protocol, id, calls, polls: 0, state: "in_progress", script: {} };
    batch.script = batchScript({ protocol, id, calls });
    batches.push(batch);
    return batch;
  };

  /** The batch and file endpoints of both protocols; false when the route is not one of them. */
  const batchRoute = async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0]!;
    const method = req.method ?? "GET";
    if (!/^\/v1\/(messages\/batches|batches|files)(\/|$)/.test(path)) return false;
    const key = recordCall("anthropic", {}, req).key;
    batchHits.push({ method, path, key });
    const protocol = path.startsWith("/v1/messages/") ? "anthropic" : "openai";
    if (!key) {
      send(res, 401, errorBody(protocol, "authentication_error", "missing API key"));
      return true;
    }
    const find = (id: string | undefined) => batches.find((b) => b.id === id && b.protocol === protocol);
    const parts = path.split("/").slice(2); // ["messages","batches",id,…] or ["batches",id,…] or ["files",id,…]
    if (protocol === "anthropic") {
      const [, , id, action] = parts;
      if (method === "POST" && !id) {
        const body = JSON.parse(raw.toString("utf8")) as {
          requests: Array<{ custom_id: string; params: Record<string, unknown> }>;
        };
        send(
          res,
          200,
          messageBatch(
            createBatch(
              "anthropic",
              body.requests.map((r) => ({ custom_id: r.custom_id, request: recordCall("anthropic", r.params, req) })),
            ),
          ),
        );
        return true;
      }
      const batch = find(id);
      if (!batch) send(res, 404, errorBody(protocol, "not_found_error", `no batch ${String(id)}`));
      else if (method === "GET" && !action) {
        poll(batch);
        send(res, 200, messageBatch(batch));
      } else if (method === "POST" && action === "cancel") {
        if (batch.state === "in_progress") batch.state = "cancelled";
        send(res, 200, messageBatch(batch));
      } else if (method === "GET" && action === "results" && batch.state !== "in_progress") {
        const written = resultFiles(batch);
        res.writeHead(200, { "content-type": "application/binary" });
        res.end(written.output);
      } else send(res, 404, errorBody(protocol, "not_found_error", `no route ${method} ${path}`));
      return true;
    }
    const [resource, id, action] = parts;
    if (resource === "files") {
      if (method === "POST" && !id) {
        const form = await new Response(raw, {
          headers: { "content-type": String(req.headers["content-type"]) },
        }).formData();
        const file = form.get("file") as File;
        const fileId = `file-${files.size + 1}`;
        files.set(fileId, await file.text());
        send(res, 200, {
          id: fileId,
          object: "file",
          bytes: file.size,
          created_at: 1_700_000_000,
          filename: file.name,
          purpose: String(form.get("purpose")),
          status: "processed",
        });
      } else if (method === "GET" && action === "content" && files.has(id!)) {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(files.get(id!));
      } else send(res, 404, errorBody(protocol, "not_found_error", `no file ${String(id)}`));
      return true;
    }
    if (method === "POST" && !id) {
      const body = JSON.parse(raw.toString("utf8")) as { input_file_id: string; endpoint: string };
      const input = files.get(body.input_file_id);
      if (input === undefined || body.endpoint !== "/v1/chat/completions") {
        send(
          res,
          400,
          errorBody(
            protocol,
            "invalid_request_error",
            `unknown input file ${body.input_file_id} or endpoint ${body.endpoint}`,
          ),
        );
        return true;
      }
      const lines = input
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { custom_id: string; body: Record<string, unknown> });
      send(
        res,
        200,
        openaiBatch(
          createBatch(
            "openai",
            lines.map((l) => ({ custom_id: l.custom_id, request: recordCall("openai", l.body, req) })),
          ),
        ),
      );
      return true;
    }
    const batch = find(id);
    if (!batch) send(res, 404, errorBody(protocol, "not_found_error", `no batch ${String(id)}`));
    else if (method === "GET" && !action) {
      poll(batch);
      send(res, 200, openaiBatch(batch));
    } else if (method === "POST" && action === "cancel") {
      if (batch.state === "in_progress") batch.state = "cancelled";
      send(res, 200, openaiBatch(batch));
    } else send(res, 404, errorBody(protocol, "not_found_error", `no route ${method} ${path}`));
    return true;
  };

  const server = createServer(async (req, res) => {
    const protocol = req.url === "/v1/messages" ? "anthropic" : req.url === "/v1/chat/completions" ? "openai" : null;
    const raw = await readBody(req);
    if (!protocol && (await batchRoute(req, res, raw))) return;
    if (req.method !== "POST" || !protocol) {
      send(res, 404, { error: { type: "not_found_error", message: `no route ${req.method} ${req.url}` } });
      return;
    }
    let body: unknown;
    let parsed = true;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      parsed = false;
    }
    const request = recordCall(protocol, body, req);
    // The bench's preflight check is answered here, after the same validation, unless a test asks
    // to script it: the run's own calls keep their indexes and counts.
    const preflight = options.answerPreflights !== false && request.system.startsWith(PREFLIGHT_SYSTEM);
    const index = preflight ? preflights.push(request) - 1 : requests.push(request) - 1;
    if (!request.key) {
      request.rejected = "missing API key";
      send(res, 401, errorBody(protocol, "authentication_error", "missing API key"));
      return;
    }
    const rejection = parsed
      ? validate(protocol, body)
      : badRequest(protocol, { message: "The request body is not valid JSON." });
    if (rejection) {
      request.rejected = rejection.message;
      send(res, rejection.status, rejection.body);
      return;
    }
    const scripted = preflight ? '{"ok": true}' : respond(request, index);
    const model = String(request.body.model);
    if (typeof scripted === "string" || "text" in scripted) {
      const delay = typeof scripted === "string" ? 0 : (scripted.delay_ms ?? 0);
      if (delay === 0) send(res, 200, answer(protocol, model, scripted, request));
      else
        setTimeout(() => !res.destroyed && send(res, 200, answer(protocol, model, scripted, request)), delay).unref();
      return;
    }
    switch (scripted.fault) {
      case "bad_request": {
        const scriptedRejection = badRequest(protocol, scripted);
        request.rejected = scriptedRejection.message;
        send(res, 400, scriptedRejection.body);
        return;
      }
      case "rate_limit":
        send(
          res,
          429,
          errorBody(protocol, "rate_limit_error", "slow down"),
          scripted.retryAfterSeconds === undefined ? {} : { "retry-after": String(scripted.retryAfterSeconds) },
        );
        return;
      case "server_error":
        send(res, 500, errorBody(protocol, "api_error", "internal error"));
        return;
      case "overloaded":
        send(res, 529, errorBody(protocol, "overloaded_error", "Overloaded"));
        return;
      case "unauthorized":
        send(res, 401, errorBody(protocol, "authentication_error", scripted.message ?? "invalid x-api-key"));
        return;
      case "delay":
        setTimeout(() => {
          if (!res.destroyed) send(res, 200, answer(protocol, model, "{}", request));
        }, scripted.ms).unref();
        return;
      case "drop":
        req.socket.destroy();
        return;
      case "non_json":
        res.writeHead(200, { "content-type": "application/json" });
        res.end(scripted.body ?? "<html>502 Bad Gateway</html>");
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    anthropicUrl: base,
    openaiUrl: `${base}/v1`,
    requests,
    preflights,
    batchHits,
    batches,
    setResponder(next) {
      respond = next;
    },
    setBatchScript(next) {
      batchScript = next;
    },
    setOptions(next) {
      options = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
