import OpenAI from "openai";
import { classifySdkError } from "./classify-error.js";
import { ProviderError, type ProviderFactory } from "./provider.js";

/**
 * OpenAI Chat Completions through the official SDK, its own retries off (the bench retries).
 * With `base_url` it serves any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp).
 */
export const createOpenAIProvider: ProviderFactory = ({ settings, apiKey }) => {
  const client = new OpenAI({ apiKey, baseURL: settings.base_url ?? null, timeout: settings.timeout_ms, maxRetries: 0 });
  const label = `openai ${settings.model}`;
  return {
    async complete(request) {
      const started = performance.now();
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create({
          model: settings.model,
          messages: [{ role: "system", content: request.system }, ...request.messages],
          max_tokens: request.max_tokens,
          temperature: request.temperature,
        });
      } catch (error) {
        throw classifySdkError(error, label);
      }
      const choice = completion?.choices?.[0];
      if (!choice || !choice.message) throw new ProviderError("invalid_response", `${label}: the answer has no choices`);
      return {
        text: choice.message.content ?? "",
        usage: { input_tokens: completion.usage?.prompt_tokens ?? 0, output_tokens: completion.usage?.completion_tokens ?? 0 },
        latency_ms: Math.round(performance.now() - started),
        model: completion.model ?? settings.model,
      };
    },
  };
};
