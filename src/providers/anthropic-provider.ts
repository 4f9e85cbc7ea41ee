import Anthropic from "@anthropic-ai/sdk";
import type { ClientSettings } from "../schema/model-settings.js";
import { classifySdkError } from "./classify-error.js";
import { modelFetch } from "./http-transport.js";
import {
  ProviderError,
  type Completion,
  type CompletionRequest,
  type ProviderFactory,
  type ProviderOptions,
  type StopKind,
} from "./provider.js";

/** The SDK client for one model's settings, its own retries off (the bench retries), calls over `modelFetch`. */
export function anthropicClient({ settings, apiKey }: ProviderOptions): Anthropic {
  return new Anthropic({
    apiKey,
    baseURL: settings.base_url ?? null,
    timeout: settings.timeout_ms,
    maxRetries: 0,
    fetch: modelFetch,
  });
}

export type AnthropicFormatMode = "json_schema" | "tool" | "off";

function thinkingParam(thinking: ClientSettings["thinking"]): Anthropic.ThinkingConfigParam | undefined {
  if (thinking === undefined) return undefined;
  if (thinking === "adaptive") return { type: "adaptive" };
  if (thinking === "disabled") return { type: "disabled" };
  return { type: "enabled", budget_tokens: thinking.budget_tokens };
}

/**
 * The Messages API parameters of one call, as a live request and as one request of a batch. This
 * API generation takes no temperature: sampling is the model's own. The answer's schema goes as
 * structured output (`output_config.format`) or as a forced tool, as the mode says.
 */
export function messageParams(
  settings: ClientSettings,
  request: CompletionRequest,
  mode: AnthropicFormatMode = (settings.structured_output as AnthropicFormatMode | undefined) ?? "json_schema",
): Anthropic.MessageCreateParamsNonStreaming {
  const messages: Anthropic.MessageParam[] = request.messages.map((m) => ({
    role: m.role,
    content:
      typeof m.content === "string"
        ? m.content
        : m.content.map(
            (part): Anthropic.TextBlockParam => ({
              type: "text",
              text: part.text,
              ...(part.cache ? { cache_control: { type: "ephemeral" } } : {}),
            }),
          ),
  }));
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model: settings.model,
    system: request.system,
    messages,
    max_tokens: request.max_tokens,
  };
  const thinking = thinkingParam(settings.thinking);
  if (thinking) params.thinking = thinking;
  const output: Anthropic.OutputConfig = {};
  if (settings.effort) output.effort = settings.effort;
  if (request.format && mode === "json_schema") output.format = { type: "json_schema", schema: request.format.schema };
  if (Object.keys(output).length > 0) params.output_config = output;
  if (request.format && mode === "tool") {
    params.tools = [
      {
        name: request.format.name,
        description: "Give the answer.",
        input_schema: request.format.schema as Anthropic.Tool.InputSchema,
      },
    ];
    params.tool_choice = { type: "tool", name: request.format.name };
  }
  return params;
}

function stopKind(reason: string | null | undefined, text: string): StopKind {
  if (reason === "max_tokens" || reason === "model_context_window_exceeded") return "truncated";
  if (reason === "refusal") return "refused";
  return text.trim() === "" ? "empty" : "end";
}

/** A completion from a Messages API answer (text blocks, or the forced tool's input); `latencyMs` is what the caller measured. */
export function readMessage(
  message: Anthropic.Message | undefined,
  label: string,
  model: string,
  latencyMs: number,
): Completion {
  if (!message || !Array.isArray(message.content))
    throw new ProviderError("invalid_response", `${label}: the answer has no content blocks`);
  const tool = message.content.find((block) => block.type === "tool_use");
  const text = tool
    ? JSON.stringify(tool.input ?? {})
    : message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
  const usage = message.usage;
  const completion: Completion = {
    text,
    usage: { input_tokens: usage?.input_tokens ?? 0, output_tokens: usage?.output_tokens ?? 0 },
    latency_ms: latencyMs,
    model: message.model ?? model,
    stop: stopKind(message.stop_reason, text),
  };
  if (message.stop_reason) completion.stop_reason = message.stop_reason;
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  if (thinking) completion.usage.reasoning_tokens = thinking;
  if (usage?.cache_read_input_tokens) completion.usage.cache_read_tokens = usage.cache_read_input_tokens;
  if (usage?.cache_creation_input_tokens) completion.usage.cache_write_tokens = usage.cache_creation_input_tokens;
  return completion;
}

/** A 400 that names the structured-output parameter: the server (or model) does not take it. */
function refusesStructuredOutput(error: ProviderError): boolean {
  return (
    error.status === 400 &&
    /output_config|output_format|structured output/i.test(`${error.param ?? ""} ${error.message}`)
  );
}

/** Anthropic's Messages API through the official SDK. */
export const createAnthropicProvider: ProviderFactory = (options) => {
  const client = anthropicClient(options);
  const { settings } = options;
  const label = `anthropic ${settings.model}`;
  let mode: AnthropicFormatMode = (settings.structured_output as AnthropicFormatMode | undefined) ?? "json_schema";
  const send = async (request: CompletionRequest, used: AnthropicFormatMode): Promise<Completion> => {
    const started = performance.now();
    let message: Anthropic.Message;
    try {
      message = await client.messages.create(messageParams(settings, request, used));
    } catch (error) {
      throw classifySdkError(error, label);
    }
    return readMessage(message, label, settings.model, Math.round(performance.now() - started));
  };
  return {
    async complete(request) {
      const used = mode;
      try {
        return await send(request, used);
      } catch (error) {
        if (
          !(error instanceof ProviderError) ||
          !request.format ||
          used !== "json_schema" ||
          !refusesStructuredOutput(error)
        )
          throw error;
        // A call sent before another one fell back is sent again in the mode now in force.
        if (mode === used) {
          // Forced tool use is refused with thinking on: then the schema stays in the prompt only.
          mode = settings.thinking !== undefined && settings.thinking !== "disabled" ? "off" : "tool";
          options.warn?.(
            `${label} does not take structured outputs (${error.message}); answers are now asked for with structured_output: ${mode}`,
          );
        }
        return send(request, mode);
      }
    },
  };
};
