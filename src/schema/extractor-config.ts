import { z } from "zod";
import { customPromptFields } from "./custom-prompt.js";
import { modelSettingsFields, providerSchemaList, providerSchemas } from "./model-settings.js";

/** Statement categories the rules extractor recognizes. */
export const RuleCategorySchema = z.enum([
  "identity",
  "work",
  "location",
  "family",
  "preference",
  "health",
  "plan",
  "habit",
  "possession",
]);

export const DEFAULT_TYPE_RULES: Record<z.infer<typeof RuleCategorySchema>, string> = {
  identity: "fact",
  work: "fact",
  location: "fact",
  family: "relation",
  preference: "preference",
  health: "fact",
  plan: "event",
  habit: "fact",
  possession: "fact",
};

export const RulesOptionsSchema = z
  .object({
    predicate_style: z
      .enum(["snake_case", "camelCase"])
      .default("snake_case")
      .describe("How predicates are spelled: `works_at` (snake_case, default) or `worksAt` (camelCase)."),
    base_confidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.7)
      .describe("Confidence of a plain statement; cue strength moves it up or down. Default 0.7."),
    type_rules: z
      .partialRecord(RuleCategorySchema, z.string().min(1))
      .default({})
      .describe(
        "Memory type per statement category. Default: family → relation, preference → preference, plan → event, the rest → fact.",
      ),
    categories: z.array(RuleCategorySchema).min(1).optional().describe("Categories to extract. Default: all."),
    hedged_statements: z
      .enum(["skip", "extract"])
      .default("skip")
      .describe('Hedged statements ("I think I might like sushi"): `skip` (default) or `extract` at lower confidence.'),
    subject_naming: z
      .enum(["name", "user", "slug"])
      .default("name")
      .describe("How the speaker is named as subject: display `name` (default), `user`, or `slug` (alice-chen)."),
  })
  .strict();

const commonExtractorFields = {
  model: z
    .string()
    .min(1)
    .optional()
    .describe("Model name; for non-model extractors a label of your choosing. Defaults to the provider name."),
  schema_version: z
    .number()
    .int()
    .min(0)
    .describe("Version of the extraction schema stamped on every memory; bump it with any extractor change."),
  temperature: z.number().min(0).max(2).optional().describe("Sampling temperature of model extractors."),
  custom_instructions: z.string().optional().describe("The prompt's <custom_rules> section (model extractors)."),
  type_rules: z
    .string()
    .optional()
    .describe("The prompt's <type_rules> section (model extractors); the rules extractor uses rules.type_rules."),
  quality_rules: z.string().optional().describe("The prompt's <quality_rules> section (model extractors)."),
  max_tokens: z.number().int().min(1).optional().describe("Answer length limit of model extractors."),
};

export const RulesExtractorSchema = z
  .object({
    provider: z.literal("rules"),
    ...commonExtractorFields,
    rules: RulesOptionsSchema.default(RulesOptionsSchema.parse({})),
  })
  .strict();

export const ReplayExtractorSchema = z
  .object({
    provider: z.literal("replay"),
    ...commonExtractorFields,
    path: z
      .string()
      .min(1)
      .describe("JSONL file of `{conversation_id, candidates: [...]}`, relative to the config file."),
  })
  .strict();

export const CommandExtractorSchema = z
  .object({
    provider: z.literal("command"),
    ...commonExtractorFields,
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe("Program and arguments; it reads `{conversation, config}` JSON on stdin and prints candidates JSON."),
    cwd: z
      .string()
      .optional()
      .describe("Working directory, relative to the config file. Default: the config file's folder."),
    timeout_ms: z
      .number()
      .int()
      .min(1)
      .max(3_600_000)
      .default(30_000)
      .describe(
        "Kill the program and everything it started after this many milliseconds (at most an hour). Default 30000.",
      ),
    max_output_bytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .default(16 * 1024 * 1024)
      .describe("An answer longer than this many bytes on stdout is a failed unit, not read further. Default 16 MiB."),
  })
  .strict();

/**
 * The reference pipeline with a real model: the fields of `ModelSettingsSchema`, the prompt sections,
 * and the team's own prompt and answer shape (`prompt`, `answer`).
 */
const llmExtractorFields = { ...commonExtractorFields, ...modelSettingsFields, ...customPromptFields };

const llmExtractorSchemas = providerSchemas(llmExtractorFields);

export const AnthropicExtractorSchema = llmExtractorSchemas.anthropic;

export const OpenAIExtractorSchema = llmExtractorSchemas.openai;

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");

export const HttpExtractorSchema = z
  .object({
    provider: z.literal("http"),
    ...commonExtractorFields,
    url: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL such as https://memory.internal/dry-run" })
      .describe("The dry-run endpoint: receives `POST {conversation, config}` JSON and answers candidates JSON."),
    headers: z
      .record(
        z.string().min(1),
        z.object({ env: envVarName.describe("Environment variable holding the header's value.") }).strict(),
      )
      .default({})
      .describe(
        "Request headers whose values come from environment variables, e.g. `Authorization: {env: DRY_RUN_TOKEN}`. Values are never logged. Default: none.",
      ),
    timeout_ms: z
      .number()
      .int()
      .min(1)
      .max(3_600_000)
      .default(30_000)
      .describe("Give up on one request after this many milliseconds. Default 30000."),
  })
  .strict();

export const ExtractorSchema = z.discriminatedUnion("provider", [
  RulesExtractorSchema,
  ReplayExtractorSchema,
  CommandExtractorSchema,
  ...providerSchemaList(llmExtractorSchemas),
  HttpExtractorSchema,
]);

export const PredicateMappingSchema = z
  .object({ from: z.array(z.string().min(1)).min(1), to: z.string().min(1) })
  .strict();

/**
 * Normalization applies once, from each raw predicate to its target: a predicate mapped to two
 * targets, a chain (`a → b`, `b → c`) or a cycle (`a → b`, `b → a`) would make the stored predicate
 * depend on the order of the mappings.
 */
function checkMappings(mappings: Array<z.infer<typeof PredicateMappingSchema>>, ctx: z.RefinementCtx): void {
  const target = new Map<string, { to: string; index: number }>();
  mappings.forEach((mapping, index) => {
    mapping.from.forEach((from, j) => {
      const earlier = target.get(from);
      if (from === mapping.to) {
        ctx.addIssue({ code: "custom", path: [index, "from", j], message: `"${from}" maps to itself` });
      } else if (earlier && earlier.to !== mapping.to) {
        ctx.addIssue({
          code: "custom",
          path: [index, "from", j],
          message: `"${from}" is already mapped to "${earlier.to}" (mappings[${earlier.index}]); a predicate maps to one target`,
        });
      }
      if (!earlier) target.set(from, { to: mapping.to, index });
    });
  });
  mappings.forEach((mapping, index) => {
    const onward = target.get(mapping.to);
    if (onward && onward.to !== mapping.to) {
      ctx.addIssue({
        code: "custom",
        path: [index, "to"],
        message: `"${mapping.to}" is a target here and a source in mappings[${onward.index}] (→ "${onward.to}"): normalization applies once, so map every source straight to its final predicate`,
      });
    }
  });
}

export const PrefilterSchema = z
  .object({
    enabled: z
      .boolean()
      .optional()
      .describe(
        "Default: on for the reference pipeline (rules, anthropic, openai), off for command, replay and http, whose own pipeline filters and which receive the turns as written.",
      ),
    min_chars: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(8)
      .describe("Turns shorter than this many characters (trimmed) are dropped. Default 8."),
    drop_roles: z
      .array(z.enum(["user", "assistant", "system"]))
      .default(["system"])
      .describe("Roles whose turns are dropped. Default: system."),
    drop_small_talk: z
      .boolean()
      .default(true)
      .describe('Drop greetings and acknowledgements ("hi", "thanks!", "ok cool"). Default true.'),
  })
  .strict();

export const DedupeSchema = z
  .object({
    enabled: z.boolean().default(true).describe("Default true."),
    text_similarity: z
      .number()
      .min(0)
      .max(1)
      .default(0.9)
      .describe("Two texts at or above this token similarity (0–1) are the same memory. Default 0.9."),
  })
  .strict();

export const ExtractorConfigSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    extractor: ExtractorSchema,
    predicate_normalization: z
      .object({
        enabled: z.boolean().default(false),
        mappings: z.array(PredicateMappingSchema).default([]).superRefine(checkMappings),
      })
      .strict()
      .default({ enabled: false, mappings: [] }),
    confidence_scaling: z
      .object({
        enabled: z.boolean().default(false),
        factor: z
          .number()
          .positive()
          .max(10)
          .default(1)
          .describe("Multiplies every confidence (result kept in [0, 1]); above 0, at most 10. Default 1."),
      })
      .strict()
      .default({ enabled: false, factor: 1 }),
    prefilter: PrefilterSchema.default(PrefilterSchema.parse({})),
    dedupe: DedupeSchema.default(DedupeSchema.parse({})),
  })
  .strict();

export type RuleCategory = z.infer<typeof RuleCategorySchema>;
export type RulesOptions = z.infer<typeof RulesOptionsSchema>;
export type Extractor = z.infer<typeof ExtractorSchema>;
export type RulesExtractor = z.infer<typeof RulesExtractorSchema>;
export type ReplayExtractor = z.infer<typeof ReplayExtractorSchema>;
export type CommandExtractor = z.infer<typeof CommandExtractorSchema>;
export type LlmExtractor = z.infer<typeof AnthropicExtractorSchema> | z.infer<typeof OpenAIExtractorSchema>;
export type HttpExtractor = z.infer<typeof HttpExtractorSchema>;
export type PredicateMapping = z.infer<typeof PredicateMappingSchema>;
export type ExtractorConfig = z.infer<typeof ExtractorConfigSchema>;
