import { z } from "zod";

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
    /** How predicates are spelled: `works_at` (snake_case, default) or `worksAt` (camelCase). */
    predicate_style: z.enum(["snake_case", "camelCase"]).default("snake_case"),
    /** Confidence of a plain statement; cue strength moves it up or down. Default 0.7. */
    base_confidence: z.number().min(0).max(1).default(0.7),
    /** Memory type per statement category. Default: family → relation, preference → preference, plan → event, the rest → fact. */
    type_rules: z.partialRecord(RuleCategorySchema, z.string().min(1)).default({}),
    /** Categories to extract. Default: all. */
    categories: z.array(RuleCategorySchema).min(1).optional(),
    /** Hedged statements ("I think I might like sushi"): `skip` (default) or `extract` at lower confidence. */
    hedged_statements: z.enum(["skip", "extract"]).default("skip"),
    /** How the speaker is named as subject: display `name` (default), `user`, or `slug` (alice-chen). */
    subject_naming: z.enum(["name", "user", "slug"]).default("name"),
  })
  .strict();

const commonExtractorFields = {
  /** Model name; for non-model extractors a label of your choosing. Defaults to the provider name. */
  model: z.string().min(1).optional(),
  /** Version of the extraction schema stamped on every memory; bump it with any extractor change. */
  schema_version: z.number().int().min(0),
  temperature: z.number().min(0).max(2).optional(),
  custom_instructions: z.string().optional(),
  type_rules: z.string().optional(),
  quality_rules: z.string().optional(),
  max_tokens: z.number().int().min(1).optional(),
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
    /** JSONL file of `{conversation_id, candidates: [...]}`, relative to the config file. */
    path: z.string().min(1),
  })
  .strict();

export const CommandExtractorSchema = z
  .object({
    provider: z.literal("command"),
    ...commonExtractorFields,
    /** Program and arguments; it reads `{conversation, config}` JSON on stdin and prints candidates JSON. */
    command: z.array(z.string().min(1)).min(1),
    /** Working directory, relative to the config file. Default: the config file's folder. */
    cwd: z.string().optional(),
    /** Kill the program after this many milliseconds. Default 30000. */
    timeout_ms: z.number().int().min(1).default(30_000),
  })
  .strict();

export const ExtractorSchema = z.discriminatedUnion("provider", [
  RulesExtractorSchema,
  ReplayExtractorSchema,
  CommandExtractorSchema,
]);

export const PredicateMappingSchema = z
  .object({ from: z.array(z.string().min(1)).min(1), to: z.string().min(1) })
  .strict();

export const PrefilterSchema = z
  .object({
    /** Default true. */
    enabled: z.boolean().default(true),
    /** Turns shorter than this many characters (trimmed) are dropped. Default 8. */
    min_chars: z.number().int().min(0).default(8),
    /** Roles whose turns are dropped. Default: system. */
    drop_roles: z.array(z.enum(["user", "assistant", "system"])).default(["system"]),
    /** Drop greetings and acknowledgements ("hi", "thanks!", "ok cool"). Default true. */
    drop_small_talk: z.boolean().default(true),
  })
  .strict();

export const DedupeSchema = z
  .object({
    /** Default true. */
    enabled: z.boolean().default(true),
    /** Two texts at or above this token similarity (0–1) are the same memory. Default 0.9. */
    text_similarity: z.number().min(0).max(1).default(0.9),
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
        mappings: z.array(PredicateMappingSchema).default([]),
      })
      .strict()
      .default({ enabled: false, mappings: [] }),
    confidence_scaling: z
      .object({ enabled: z.boolean().default(false), factor: z.number().positive().default(1) })
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
export type PredicateMapping = z.infer<typeof PredicateMappingSchema>;
export type ExtractorConfig = z.infer<typeof ExtractorConfigSchema>;
