import { z } from "zod";
import { RawCandidateSchema } from "./candidate.js";

/** One memory as a model extractor answers it: a candidate whose text is required and which names no entities. */
export const LlmMemorySchema = RawCandidateSchema.omit({ entities: true }).extend({
  text: z.string().min(1).describe("The fact in one plain sentence."),
});

/**
 * The answer contract of model extractors: a JSON object with a `memories` array, as plain text or
 * inside a ```json fence, so servers without tool calling or structured outputs work.
 */
export const LlmAnswerSchema = z.object({ memories: z.array(LlmMemorySchema) }).strict();

export type LlmMemory = z.infer<typeof LlmMemorySchema>;
export type LlmAnswer = z.infer<typeof LlmAnswerSchema>;
