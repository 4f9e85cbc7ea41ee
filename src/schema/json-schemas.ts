import { z } from "zod";
import { BenchConfigSchema } from "./bench-config.js";
import { ImportMappingSchema } from "./curation.js";
import { ExtractorConfigSchema } from "./extractor-config.js";
import { ExtractorOutputSchema } from "./candidate.js";
import { LlmAnswerSchema } from "./llm-answer.js";
import { RetrievalQueryLineSchema } from "./retrieval-query.js";
import { RetrieverAnswerSchema } from "./retrievers.js";

/**
 * JSON Schemas shipped in `schemas/`, generated from the zod schemas (input side: defaults optional):
 * the two YAML config kinds, the candidates a user's own extractor prints, the answer a model
 * extractor must give, the mapping file of `golden import`, a line of a queries file, and the answer a
 * team's own retrieval (`command`, `http`) gives.
 */
export function configJsonSchemas(): Record<string, object> {
  const generate = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
    title,
  });
  return {
    "extractor-config.schema.json": generate(ExtractorConfigSchema, "extractor-bench extractor config"),
    "bench-config.schema.json": generate(BenchConfigSchema, "extractor-bench bench config"),
    "candidate.schema.json": generate(
      ExtractorOutputSchema,
      "extractor-bench candidates printed by a command extractor",
    ),
    "llm-answer.schema.json": generate(LlmAnswerSchema, "extractor-bench model extractor answer"),
    "import-mapping.schema.json": generate(ImportMappingSchema, "extractor-bench golden import mapping"),
    "retrieval-query.schema.json": generate(
      RetrievalQueryLineSchema,
      "extractor-bench query: one line of a queries file",
    ),
    "retriever-answer.schema.json": generate(
      RetrieverAnswerSchema,
      "extractor-bench ranked memory ids printed by a command or http retriever",
    ),
  };
}
