import { z } from "zod";

/**
 * How to call one model: shared by model extractors (`extractor: {provider: anthropic|openai, …}`)
 * and the bench file's LLM `judge`. Fields one provider's API cannot take live in that provider's
 * own list below, so a config naming them for the other provider is refused where it is loaded.
 */
export const modelSettingsFields = {
  model: z
    .string()
    .min(1)
    .describe("Model name as the provider spells it, e.g. `claude-sonnet-5-5` or `gpt-5.4-mini`."),
  base_url: z
    .url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://localhost:11434/v1" })
    .optional()
    .describe(
      "Server address as the SDK takes it: `http://host:port` for Anthropic, `http://host:port/v1` for OpenAI-compatible servers (Ollama, vLLM, LM Studio, llama.cpp). Default: the provider's public API.",
    ),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name")
    .optional()
    .describe("Environment variable holding the API key. Default: ANTHROPIC_API_KEY or OPENAI_API_KEY."),
  max_tokens: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(4096)
    .describe("Answer length limit per call, in tokens; reasoning and thinking tokens share it. Default 4096."),
  max_tokens_ceiling: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(32_768)
    .describe("A truncated answer is asked once more with double max_tokens, up to this many. Default 32768."),
  timeout_ms: z
    .number()
    .int()
    .min(1)
    .max(3_600_000)
    .default(120_000)
    .describe("Give up on one call after this many milliseconds (then retried). Default 120000."),
  max_input_tokens: z
    .number()
    .int()
    .min(256)
    .max(10_000_000)
    .default(16_000)
    .describe(
      "Prompt size limit per call, in estimated tokens; longer conversations are split into windows. Default 16000.",
    ),
  preflight: z
    .boolean()
    .default(true)
    .describe(
      "Before the first unit, send this model one small request with the run's parameters, so a retired model, a bad key or an unsupported parameter stops the run before any money is spent. Default true.",
    ),
};

/** The Messages API takes no temperature: a config that sets one is told so, not silently ignored. */
export const NO_ANTHROPIC_TEMPERATURE = z
  .unknown()
  .optional()
  .describe("Not taken by the Anthropic Messages API: a config that sets it is refused.");

/** Fields only the Anthropic Messages API takes. It takes no temperature: sampling is the model's own. */
export const anthropicSettingsFields = {
  structured_output: z
    .enum(["json_schema", "tool", "off"])
    .default("json_schema")
    .describe(
      "How the answer's JSON Schema is enforced: `json_schema` (structured outputs, `output_config.format`; default), `tool` (forced tool use, for models without structured outputs) or `off` (the schema in the prompt only). A 400 naming `output_config` falls back to `tool` (or `off` with thinking on), once, with a warning.",
    ),
  effort: z
    .enum(["low", "medium", "high", "xhigh", "max"])
    .optional()
    .describe("How much effort the model puts into its answer (`output_config.effort`). Default: the model's own."),
  thinking: z
    .union([
      z.enum(["adaptive", "disabled"]),
      z
        .object({
          budget_tokens: z.number().int().min(1024).describe("Thinking budget, at least 1024 and below max_tokens."),
        })
        .strict(),
    ])
    .optional()
    .describe(
      "Extended thinking: `adaptive` (the model decides), `disabled`, or `{budget_tokens: N}`. Thinking tokens count toward max_tokens. Default: the model's own.",
    ),
};

/** Fields only OpenAI Chat Completions (and compatible servers) take. */
export const openaiSettingsFields = {
  temperature: z
    .number()
    .min(0)
    .max(2)
    .optional()
    .describe(
      "Sampling temperature, sent only when set (reasoning models such as the gpt-5 family and o-series take none but 1). Default: unset.",
    ),
  reasoning_effort: z
    .enum(["none", "minimal", "low", "medium", "high", "xhigh"])
    .optional()
    .describe("Reasoning effort of reasoning models (gpt-5 family, o-series). Default: the model's own."),
  structured_output: z
    .enum(["json_schema", "json_object", "off"])
    .default("json_schema")
    .describe(
      "How the answer's JSON Schema is enforced: `json_schema` (`response_format` strict; default), `json_object` (JSON mode) or `off`. A compatible server that answers 400 naming `response_format` falls back to `off`, once, with a warning.",
    ),
  max_tokens_field: z
    .enum(["max_completion_tokens", "max_tokens"])
    .optional()
    .describe(
      "Which request field carries max_tokens: `max_completion_tokens` (OpenAI's; required by reasoning models) or `max_tokens` (older compatible servers). Default: `max_completion_tokens`, switching to `max_tokens` once, with a warning, when a server answers 400 naming it.",
    ),
};

/** Settings a provider's API cannot take, refused where the config is loaded with the reason. */
export function checkModelSettings(
  settings: Partial<Record<string, unknown>> & {
    max_tokens?: number;
    thinking?: unknown;
    structured_output?: unknown;
    temperature?: unknown;
  },
  ctx: z.RefinementCtx,
): void {
  if (settings.temperature !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["temperature"],
      message: "the Anthropic Messages API takes no temperature (sampling is the model's own): remove it",
    });
  }
  const thinking = settings.thinking;
  if (
    thinking &&
    typeof thinking === "object" &&
    "budget_tokens" in thinking &&
    typeof settings.max_tokens === "number"
  ) {
    const budget = (thinking as { budget_tokens: number }).budget_tokens;
    if (budget >= settings.max_tokens) {
      ctx.addIssue({
        code: "custom",
        path: ["thinking", "budget_tokens"],
        message: `the thinking budget (${budget}) must be below max_tokens (${settings.max_tokens}): thinking tokens count toward it`,
      });
    }
  }
  if (settings.structured_output === "tool" && thinking !== undefined && thinking !== "disabled") {
    ctx.addIssue({
      code: "custom",
      path: ["structured_output"],
      message:
        "`tool` forces tool use, which the API refuses with thinking on: use `json_schema` or `off`, or set `thinking: disabled`",
    });
  }
}

/**
 * Each model provider's variant of a config that calls a model: `fields` plus the provider's own,
 * checked alike. One row per provider: the provider names configs may take are this table's keys,
 * and the provider table (`src/providers/provider-table.ts`) must have a row for each.
 */
export function providerSchemas<F extends z.ZodRawShape>(fields: F) {
  return {
    anthropic: z
      .object({
        provider: z.literal("anthropic"),
        ...fields,
        temperature: NO_ANTHROPIC_TEMPERATURE,
        ...anthropicSettingsFields,
      })
      .strict()
      .superRefine(checkModelSettings),
    openai: z.object({ provider: z.literal("openai"), ...fields, ...openaiSettingsFields }).strict(),
  };
}

/** The variants as the list a discriminated union takes, so no union names a provider by hand. */
export function providerSchemaList<S extends Record<ModelProvider, z.ZodType>>(
  schemas: S,
): [S[ModelProvider], ...S[ModelProvider][]] {
  return Object.values(schemas) as [S[ModelProvider], ...S[ModelProvider][]];
}

const settingsSchemas = providerSchemas(modelSettingsFields);

/** The model providers a config can name: anthropic, openai. */
export type ModelProvider = keyof typeof settingsSchemas;

export const ModelProviderSchema = z.enum(Object.keys(settingsSchemas) as [ModelProvider, ...ModelProvider[]]);

export const ModelSettingsSchema = z.discriminatedUnion("provider", providerSchemaList(settingsSchemas));

export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

type CommonSettings = z.infer<z.ZodObject<typeof modelSettingsFields>>;
type AnthropicOnly = z.infer<z.ZodObject<typeof anthropicSettingsFields>>;
type OpenAIOnly = z.infer<z.ZodObject<typeof openaiSettingsFields>>;

/**
 * One model's settings as the request layer reads them: any registered provider name (`scripted`
 * included), the common fields, and each provider's own fields, optional.
 */
export type ClientSettings = { provider: string } & Omit<CommonSettings, "max_tokens_ceiling" | "preflight"> &
  Partial<Pick<CommonSettings, "max_tokens_ceiling" | "preflight">> &
  Partial<Omit<AnthropicOnly, "structured_output">> &
  Partial<Omit<OpenAIOnly, "structured_output" | "temperature">> & {
    structured_output?: AnthropicOnly["structured_output"] | OpenAIOnly["structured_output"];
    /** A number for OpenAI; an Anthropic config that sets one is refused where it is loaded. */
    temperature?: unknown;
  };
