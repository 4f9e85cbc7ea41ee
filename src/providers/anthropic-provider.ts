import Anthropic from "@anthropic-ai/sdk";
import { classifySdkError } from "./classify-error.js";
import { modelFetch } from "./http-transport.js";
import { ProviderError, type Completion, type CompletionRequest, type ProviderFactory, type ProviderOptions } from "./provider.js";

/** The SDK client for one model's settings, its own retries off (the bench retries), calls over `modelFetch`. */
export function anthropicClient({ settings, apiKey }: ProviderOptions): Anthropic {
  return new Anthropic({ apiKey, baseURL: settings.base_url ?? null, timeout: settings.timeout_ms, maxRetries: 0, fetch: modelFetch });
}

/** The Messages API parameters of one call, as a live request and as one request of a batch. */
export function messageParams(model: string, request: CompletionRequest): Anthropic.MessageCreateParamsNonStreaming {
  // The Messages API of this SDK generation takes no temperature: sampling is the model's own.
  return { model, system: request.system, messages: request.messages, max_tokens: request.max_tokens };
}

/** A completion from a Messages API answer; `latencyMs` is what the caller measured. */
export function readMessage(message: Anthropic.Message | undefined, label: string, model: string, latencyMs: number): Completion {
  if (!message || !Array.isArray(message.content)) throw new ProviderError("invalid_response", `${label}: the answer has no content blocks`);
  const text = message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
  return {
    text,
    usage: { input_tokens: message.usage?.input_tokens ?? 0, output_tokens: message.usage?.output_tokens ?? 0 },
    latency_ms: latencyMs,
    model: message.model ?? model,
  };
}

/** Anthropic's Messages API through the official SDK. */
export const createAnthropicProvider: ProviderFactory = (options) => {
  const client = anthropicClient(options);
  const { model } = options.settings;
  const label = `anthropic ${model}`;
  return {
    async complete(request) {
      const started = performance.now();
      let message: Anthropic.Message;
      try {
        message = await client.messages.create(messageParams(model, request));
      } catch (error) {
        throw classifySdkError(error, label);
      }
      return readMessage(message, label, model, Math.round(performance.now() - started));
    },
  };
};
