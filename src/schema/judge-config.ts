import { z } from "zod";
import { modelSettingsFields, providerSchemaList, providerSchemas } from "./model-settings.js";

export const HeuristicJudgeSchema = z
  .object({
    provider: z.literal("heuristic"),
    coverage_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe(
        "A golden memory is covered by a candidate carrying at least this share of its content words. Default 0.6.",
      ),
    evidence_coverage_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("The lower bar for a candidate whose evidence turns overlap the golden memory's. Default 0.5."),
  })
  .strict();

const llmJudgeFields = {
  ...modelSettingsFields,
  max_tokens: modelSettingsFields.max_tokens.describe("Answer length limit per judge call, in tokens. Default 4096."),
  repeat_share: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe("Share of conversations judged a second time, bypassing the cache, to measure judge noise. Default 0.1."),
  pairwise: z
    .boolean()
    .default(false)
    .describe("Also compare the two configs' candidates per conversation, judged in both orders. Default false."),
  batch_size: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe(
      "Memories rated or classified per judge call: fewer means less contrast between the memories of one list, more means fewer calls. Default 10.",
    ),
};

const judgeSchemas = providerSchemas(llmJudgeFields);

/** An LLM judge: the shared model settings, its provider's own, and the judge's options. */
export const LlmJudgeSchema = z.discriminatedUnion("provider", providerSchemaList(judgeSchemas));

const JudgeByProviderSchema = z.discriminatedUnion("provider", [
  HeuristicJudgeSchema,
  ...providerSchemaList(judgeSchemas),
]);

export const JudgeConfigSchema = z.union([z.literal("heuristic"), JudgeByProviderSchema]);

export type HeuristicJudgeConfig = z.infer<typeof HeuristicJudgeSchema>;
export type LlmJudgeConfig = z.infer<typeof LlmJudgeSchema>;
