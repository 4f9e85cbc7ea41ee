import { z } from "zod";
import { BenchConfigSchema } from "./bench-config.js";
import { ImportMappingSchema } from "./curation.js";
import { ExtractorConfigSchema } from "./extractor-config.js";

/** JSON Schemas of the YAML files the bench reads (configs, import mappings), generated from the zod schemas (input side: defaults optional). */
export function configJsonSchemas(): Record<string, object> {
  const generate = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
    title,
  });
  return {
    "extractor-config.schema.json": generate(ExtractorConfigSchema, "extractor-bench extractor config"),
    "bench-config.schema.json": generate(BenchConfigSchema, "extractor-bench bench config"),
    "import-mapping.schema.json": generate(ImportMappingSchema, "extractor-bench golden import mapping"),
  };
}
