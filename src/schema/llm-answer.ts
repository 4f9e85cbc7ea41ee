import { z } from "zod";

const confidence = z.number().min(0, "expected a confidence in [0, 1]").max(1, "expected a confidence in [0, 1]");

/** One memory as a model extractor answers it. */
export const LlmMemorySchema = z
  .object({
    text: z.string().min(1).describe("The fact in one plain sentence."),
    type: z.string().min(1).describe("Memory type, as the type rules name it (fact, preference, event, relation, …)."),
    subject: z.string().min(1).describe("Who or what the memory is about."),
    predicate: z.string().min(1).describe("The relation, e.g. works_at."),
    object: z.string().describe("The value of the relation."),
    confidence: confidence.describe("How sure the extractor is, in [0, 1]."),
    evidence: z.array(z.string().min(1)).default([]).describe("Ids of the turns that support the memory."),
  })
  .strict();

/**
 * The answer contract of model extractors: a JSON object with a `memories` array, as plain text or
 * inside a ```json fence, so servers without tool calling or structured outputs work.
 */
export const LlmAnswerSchema = z.object({ memories: z.array(LlmMemorySchema) }).strict();

export type LlmMemory = z.infer<typeof LlmMemorySchema>;
export type LlmAnswer = z.infer<typeof LlmAnswerSchema>;
