import { z } from "zod";
import { BenchConfigSchema } from "./bench-config.js";
import { ImportMappingSchema } from "./curation.js";
import { ExtractorConfigSchema } from "./extractor-config.js";
import { ExtractorOutputSchema } from "./candidate.js";

/**
 * JSON Schemas shipped in `schemas/`, generated from the zod schemas (input side: defaults optional):
 * the two YAML config kinds, the candidates a user's own extractor prints, and the mapping file of
 * `golden import`.
 */
export function configJsonSchemas(): Record<string, object> {
  const generate = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
    title,
  });
  return {
    "extractor-config.schema.json": generate(ExtractorConfigSchema, "extractor-bench extractor config"),
    "bench-config.schema.json": generate(BenchConfigSchema, "extractor-bench bench config"),
    "candidate.schema.json": generate(ExtractorOutputSchema, "extractor-bench candidates printed by a command extractor"),
    "import-mapping.schema.json": generate(ImportMappingSchema, "extractor-bench golden import mapping"),
  };
}
