import { z } from "zod";

/** The structured part of a query: every field given must match, as a memory store applies it. */
export const QueryFiltersSchema = z
  .object({
    type: z.string().min(1).optional().describe("Only memories of this type."),
    predicate: z.string().min(1).optional().describe("Only memories with this predicate."),
    subject: z
      .string()
      .min(1)
      .optional()
      .describe("Only memories about this subject (its name, case-insensitive, or its resolved entity id)."),
    min_confidence: z.number().min(0).max(1).optional().describe("Only memories with at least this confidence."),
  })
  .strict();

/**
 * One line of a queries file (JSONL): a question an application asks the memory store, and what
 * answers it. `scope` names the namespace searched; `conversation_id` names it through a conversation.
 */
export const RetrievalQueryLineSchema = z
  .object({
    id: z.string().min(1),
    scope: z.string().min(1).optional().describe("The namespace searched (a conversation's `scope.namespace`)."),
    conversation_id: z
      .string()
      .min(1)
      .optional()
      .describe("A conversation whose namespace is searched; its turns are where `relevant_turns` are looked up."),
    text: z.string().trim().min(1, "must not be empty"),
    filters: QueryFiltersSchema.optional(),
    relevant_golden: z
      .array(z.string().min(1))
      .optional()
      .describe("Golden memory ids: a memory covering one of them answers the query."),
    relevant_turns: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "Turn ids (of `conversation_id`, or `conversation_id:turn_id`): a memory citing one of them answers the query.",
      ),
    category: z
      .union([z.string(), z.number()])
      .optional()
      .describe("Free label (e.g. LoCoMo's question category); kept for the report."),
  })
  .strict()
  .superRefine((line, ctx) => {
    if (line.scope === undefined && line.conversation_id === undefined)
      ctx.addIssue({ code: "custom", message: "expected `scope` or `conversation_id`" });
    if ((line.relevant_golden?.length ?? 0) + (line.relevant_turns?.length ?? 0) === 0) {
      ctx.addIssue({
        code: "custom",
        message:
          "expected `relevant_golden` (golden memory ids) or `relevant_turns` (turn ids): what answers the query",
      });
    }
  });

export type QueryFiltersInput = z.infer<typeof QueryFiltersSchema>;
export type RetrievalQueryLine = z.infer<typeof RetrievalQueryLineSchema>;
