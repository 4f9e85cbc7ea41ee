import OpenAI from "openai";
import type { ClientSettings } from "../schema/model-settings.js";
import { classifySdkError } from "./classify-error.js";
import { modelFetch } from "./http-transport.js";
import {
  messageText,
  ProviderError,
  type Completion,
  type CompletionRequest,
  type ProviderFactory,
  type ProviderOptions,
  type StopKind,
} from "./provider.js";

/** The SDK client for one model's settings, its own retries off (the bench retries), calls over `modelFetch`. */
export function openaiClient({ settings, apiKey }: ProviderOptions): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: settings.base_url ?? null,
    timeout: settings.timeout_ms,
    maxRetries: 0,
    fetch: modelFetch,
  });
}

export type OpenAIFormatMode = "json_schema" | "json_object" | "off";
export type MaxTokensField = "max_completion_tokens" | "max_tokens";

/** How a client sends its requests; a provider changes it once when its server refuses a parameter. */
export interface ChatDialect {
  format: OpenAIFormatMode;
  maxTokensField: MaxTokensField;
}

export function defaultDialect(settings: ClientSettings): ChatDialect {
  return {
    format: (settings.structured_output as OpenAIFormatMode | undefined) ?? "json_schema",
    maxTokensField: settings.max_tokens_field ?? "max_completion_tokens",
  };
}

/**
 * The Chat Completions body of one call, as a live request and as one line of a batch input file.
 * Temperature and reasoning effort go only when set: reasoning models refuse a temperature but 1.
 */
export function chatBody(
  settings: ClientSettings,
  request: CompletionRequest,
  dialect: ChatDialect = defaultDialect(settings),
): OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming {
  let system = request.system;
  // JSON mode refuses a request whose messages never say "json".
  if (request.format && dialect.format === "json_object" && !/json/i.test(system)) system += "\nAnswer with JSON.";
  const body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming = {
    model: settings.model,
    messages: [
      { role: "system", content: system },
      ...request.messages.map((m) => ({ role: m.role, content: messageText(m) })),
    ],
  };
  if (request.cache_key) body.prompt_cache_key = request.cache_key;
  body[dialect.maxTokensField] = request.max_tokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (settings.reasoning_effort) body.reasoning_effort = settings.reasoning_effort;
  if (request.format && dialect.format === "json_schema") {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: request.format.name, schema: request.format.schema, strict: true },
    };
  } else if (request.format && dialect.format === "json_object") body.response_format = { type: "json_object" };
  return body;
}

function stopKind(choice: OpenAI.Chat.Completions.ChatCompletion.Choice, text: string): StopKind {
  if (choice.finish_reason === "length") return "truncated";
  if (choice.message.refusal || choice.finish_reason === "content_filter") return "refused";
  return text.trim() === "" ? "empty" : "end";
}

/** A completion from a Chat Completions answer; `latencyMs` is what the caller measured. */
export function readChatCompletion(
  completion: OpenAI.Chat.Completions.ChatCompletion | undefined,
  label: string,
  model: string,
  latencyMs: number,
): Completion {
  const choice = completion?.choices?.[0];
  if (!completion || !choice?.message)
    throw new ProviderError("invalid_response", `${label}: the answer has no choices`);
  const refusal = choice.message.refusal;
  const text = refusal ? refusal : (choice.message.content ?? "");
  const usage = completion.usage;
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const result: Completion = {
    text,
    // OpenAI counts cached tokens inside prompt_tokens; the bench counts them apart, at their own price.
    usage: {
      input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
      output_tokens: usage?.completion_tokens ?? 0,
    },
    latency_ms: latencyMs,
    model: completion.model ?? model,
    stop: stopKind(choice, text),
  };
  if (choice.finish_reason) result.stop_reason = refusal ? "refusal" : choice.finish_reason;
  if (cached) result.usage.cache_read_tokens = cached;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (reasoning) result.usage.reasoning_tokens = reasoning;
  return result;
}

/** The dialect to fall back to when a 400 names a parameter this server does not take; undefined when none helps. */
export function fallbackDialect(
  error: ProviderError,
  dialect: ChatDialect,
  settings: ClientSettings,
  request: CompletionRequest,
): ChatDialect | undefined {
  if (error.status !== 400) return undefined;
  const named = `${error.param ?? ""} ${error.message}`;
  if (request.format && dialect.format !== "off" && /response_format|json_schema|json_object/.test(named))
    return { ...dialect, format: "off" };
  if (settings.max_tokens_field === undefined) {
    if (dialect.maxTokensField === "max_completion_tokens" && /max_completion_tokens/.test(named))
      return { ...dialect, maxTokensField: "max_tokens" };
    if (dialect.maxTokensField === "max_tokens" && /'max_tokens'|\bmax_tokens\b.*max_completion_tokens/.test(named))
      return { ...dialect, maxTokensField: "max_completion_tokens" };
  }
  return undefined;
}

/**
 * OpenAI Chat Completions through the official SDK. With `base_url` it serves any
 * OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp).
 */
export const createOpenAIProvider: ProviderFactory = (options) => {
  const client = openaiClient(options);
  const { settings } = options;
  const label = `openai ${settings.model}`;
  let dialect = defaultDialect(settings);
  const send = async (request: CompletionRequest, used: ChatDialect): Promise<Completion> => {
    const started = performance.now();
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await client.chat.completions.create(chatBody(settings, request, used));
    } catch (error) {
      throw classifySdkError(error, label);
    }
    return readChatCompletion(completion, label, settings.model, Math.round(performance.now() - started));
  };
  return {
    async complete(request) {
      // Each refused parameter changes the dialect once, for every later call of this model; a call
      // sent before another one fell back is sent again in the dialect now in force.
      for (let tries = 0; ; tries++) {
        const used = dialect;
        try {
          return await send(request, used);
        } catch (error) {
          if (!(error instanceof ProviderError) || tries >= 3) throw error;
          if (dialect !== used) continue;
          const next = fallbackDialect(error, used, settings, request);
          if (!next) throw error;
          const what =
            next.format !== used.format
              ? `structured_output: ${next.format}`
              : `max_tokens_field: ${next.maxTokensField}`;
          options.warn?.(`${label}: the server refused a parameter (${error.message}); asking again with ${what}`);
          dialect = next;
        }
      }
    },
  };
};
