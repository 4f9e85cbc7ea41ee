import { z } from "zod";

export const ModelProviderSchema = z.enum(["anthropic", "openai"]);

/** The environment variable each provider reads its API key from unless `api_key_env` names another. */
export const DEFAULT_API_KEY_ENV: Record<z.infer<typeof ModelProviderSchema>, string> = {
  anthropic: "ANTHROPIC_API_KEY",
  openai: "OPENAI_API_KEY",
};

/**
 * How to call one model: shared by model extractors (`extractor: {provider: anthropic|openai, …}`)
 * and the bench file's LLM `judge`.
 */
export const modelSettingsFields = {
  model: z.string().min(1).describe("Model name as the provider spells it, e.g. `claude-sonnet-4-5` or `gpt-4.1-mini`."),
  base_url: z
    .url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://localhost:11434/v1" })
    .optional()
    .describe("Server address as the SDK takes it: `http://host:port` for Anthropic, `http://host:port/v1` for OpenAI-compatible servers (Ollama, vLLM, LM Studio, llama.cpp). Default: the provider's public API."),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name")
    .optional()
    .describe("Environment variable holding the API key. Default: ANTHROPIC_API_KEY or OPENAI_API_KEY."),
  temperature: z.number().min(0).max(2).default(0).describe("Sampling temperature, sent to OpenAI-compatible servers (Anthropic's current Messages API takes none). Default 0."),
  max_tokens: z.number().int().min(1).max(1_000_000).default(4096).describe("Answer length limit per call, in tokens. Default 4096."),
  timeout_ms: z.number().int().min(1).max(3_600_000).default(120_000).describe("Give up on one call after this many milliseconds (then retried). Default 120000."),
  max_input_tokens: z
    .number()
    .int()
    .min(256)
    .max(10_000_000)
    .default(16_000)
    .describe("Prompt size limit per call, in estimated tokens; longer conversations are split into windows. Default 16000."),
};

export const ModelSettingsSchema = z
  .object({ provider: ModelProviderSchema, ...modelSettingsFields })
  .strict();

export type ModelProvider = z.infer<typeof ModelProviderSchema>;
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

export function apiKeyEnv(settings: Pick<ModelSettings, "provider" | "api_key_env">): string {
  return settings.api_key_env ?? DEFAULT_API_KEY_ENV[settings.provider];
}
