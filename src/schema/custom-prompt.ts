import { z } from "zod";

/** The bench fields a team's answer is mapped to (`answer.fields`), in the order of the bench's contract. */
export const ANSWER_FIELDS = ["text", "type", "subject", "predicate", "object", "confidence", "evidence"] as const;

/** A key, or a dotted path of keys, inside a team's answer: `fact`, `source.turns`. */
const answerPath = z
  .string()
  .regex(/^[^.\s]+(?:\.[^.\s]+)*$/, "expected a key or a dotted path of keys such as `source.turns`")
  .describe("Key of the team's answer, or a dotted path of keys (`source.turns`).");

export const PromptFilesSchema = z
  .object({
    system: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Text file with the system prompt template, relative to the config file; `{{placeholder}}`s are filled per call. Default: the bench's own system prompt (extract@2).",
      ),
    user: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Text file with the user message template, relative to the config file; it must contain `{{turns}}`. Default: the bench's own user message (extract@2).",
      ),
  })
  .strict()
  .refine((files) => files.system !== undefined || files.user !== undefined, "expected `system`, `user` or both");

export const AnswerMappingSchema = z
  .object({
    memories: z
      .union([z.literal("."), answerPath])
      .default("memories")
      .describe(
        "Where the list of memories is in the answer: a key or dotted path (`facts`, `result.items`), or `.` when the answer is the list itself. Default: `memories`.",
      ),
    fields: z
      .object({
        text: answerPath.optional().describe("Key of the memory in plain words. Default: `text`."),
        type: answerPath.optional().describe("Key of the memory type. Default: `type`."),
        subject: answerPath.optional().describe("Key of the subject. Default: `subject`."),
        predicate: answerPath.optional().describe("Key of the predicate. Default: `predicate`."),
        object: answerPath.optional().describe("Key of the object. Default: `object`."),
        confidence: answerPath.optional().describe("Key of the confidence. Default: `confidence`."),
        evidence: answerPath
          .optional()
          .describe(
            "Key of the evidence turn ids: a list of strings or numbers, or one string of comma-separated ids. Default: `evidence`.",
          ),
      })
      .strict()
      .default({})
      .describe(
        "The team's key for each bench field (text, type, subject, predicate, object, confidence, evidence), e.g. `{text: fact, type: category}`. Default: each field under its own name.",
      ),
    defaults: z
      .object({
        type: z
          .string()
          .min(1)
          .optional()
          .describe("Memory type of a memory whose answer gives none. Default: none (the memory is then invalid)."),
        confidence: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe(
            "Confidence of a memory whose answer gives none, in [0, 1]. Default: none (the memory is then invalid).",
          ),
      })
      .strict()
      .default({})
      .describe("Values for fields the team's answer lacks. Default: none."),
    evidence_prefix: z
      .string()
      .min(1)
      .optional()
      .describe("Stripped from the start of each evidence id (`turn-` turns `turn-t4` into `t4`). Default: none."),
  })
  .strict();

/** The fields model extractors take to put a team's own prompt under test. */
export const customPromptFields = {
  prompt: PromptFilesSchema.optional().describe(
    "The team's own prompt templates, instead of the bench's. Default: the bench's own template (extract@2).",
  ),
  answer: AnswerMappingSchema.optional().describe(
    "How to read the team's own answer shape, when its prompt asks for something other than `{\"memories\": [...]}`; needs `prompt`. Default: the bench's contract.",
  ),
};

export type PromptFiles = z.infer<typeof PromptFilesSchema>;
export type AnswerMapping = z.infer<typeof AnswerMappingSchema>;
export type AnswerField = (typeof ANSWER_FIELDS)[number];
