import Anthropic from "@anthropic-ai/sdk";
import { classifySdkError } from "./classify-error.js";
import { ProviderError, type ProviderFactory } from "./provider.js";

/** Anthropic's Messages API through the official SDK, its own retries off (the bench retries). */
export const createAnthropicProvider: ProviderFactory = ({ settings, apiKey }) => {
  const client = new Anthropic({ apiKey, baseURL: settings.base_url ?? null, timeout: settings.timeout_ms, maxRetries: 0 });
  const label = `anthropic ${settings.model}`;
  return {
    async complete(request) {
      const started = performance.now();
      let message: Anthropic.Message;
      try {
        message = await client.messages.create({
          model: settings.model,
          system: request.system,
          messages: request.messages,
          // The Messages API of this SDK generation takes no temperature: sampling is the model's own.
          max_tokens: request.max_tokens,
        });
      } catch (error) {
        throw classifySdkError(error, label);
      }
      if (!message || !Array.isArray(message.content)) throw new ProviderError("invalid_response", `${label}: the answer has no content blocks`);
      const text = message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
      return {
        text,
        usage: { input_tokens: message.usage?.input_tokens ?? 0, output_tokens: message.usage?.output_tokens ?? 0 },
        latency_ms: Math.round(performance.now() - started),
        model: message.model ?? settings.model,
      };
    },
  };
};
