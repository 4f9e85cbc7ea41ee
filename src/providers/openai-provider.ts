import OpenAI from "openai";
import { classifySdkError } from "./classify-error.js";
import { modelFetch } from "./http-transport.js";
import { ProviderError, type Completion, type CompletionRequest, type ProviderFactory, type ProviderOptions } from "./provider.js";

/** The SDK client for one model's settings, its own retries off (the bench retries), calls over `modelFetch`. */
export function openaiClient({ settings, apiKey }: ProviderOptions): OpenAI {
  return new OpenAI({ apiKey, baseURL: settings.base_url ?? null, timeout: settings.timeout_ms, maxRetries: 0, fetch: modelFetch });
}

/** The Chat Completions body of one call, as a live request and as one line of a batch input file. */
export function chatBody(model: string, request: CompletionRequest): OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: [{ role: "system", content: request.system }, ...request.messages],
    max_tokens: request.max_tokens,
    temperature: request.temperature,
  };
}

/** A completion from a Chat Completions answer; `latencyMs` is what the caller measured. */
export function readChatCompletion(completion: OpenAI.Chat.Completions.ChatCompletion | undefined, label: string, model: string, latencyMs: number): Completion {
  const choice = completion?.choices?.[0];
  if (!completion || !choice || !choice.message) throw new ProviderError("invalid_response", `${label}: the answer has no choices`);
  return {
    text: choice.message.content ?? "",
    usage: { input_tokens: completion.usage?.prompt_tokens ?? 0, output_tokens: completion.usage?.completion_tokens ?? 0 },
    latency_ms: latencyMs,
    model: completion.model ?? model,
  };
}

/**
 * OpenAI Chat Completions through the official SDK. With `base_url` it serves any
 * OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp).
 */
export const createOpenAIProvider: ProviderFactory = (options) => {
  const client = openaiClient(options);
  const { model } = options.settings;
  const label = `openai ${model}`;
  return {
    async complete(request) {
      const started = performance.now();
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(chatBody(model, request));
      } catch (error) {
        throw classifySdkError(error, label);
      }
      return readChatCompletion(completion, label, model, Math.round(performance.now() - started));
    },
  };
};
