import { z } from "zod";
import { BenchConfigSchema } from "./bench-config.js";
import { ExtractorConfigSchema } from "./extractor-config.js";
import { LlmAnswerSchema } from "./llm-answer.js";

/** JSON Schemas of the two YAML config kinds and of the model extractors' answer, generated from the zod schemas (input side: defaults optional). */
export function configJsonSchemas(): Record<string, object> {
  const generate = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
    title,
  });
  return {
    "extractor-config.schema.json": generate(ExtractorConfigSchema, "extractor-bench extractor config"),
    "bench-config.schema.json": generate(BenchConfigSchema, "extractor-bench bench config"),
    "llm-answer.schema.json": generate(LlmAnswerSchema, "extractor-bench model extractor answer"),
  };
}
