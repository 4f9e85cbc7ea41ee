import { z } from "zod";

/** The structured part of a query, applied as a memory store applies it: every field given must match. */
export const QueryFiltersSchema = z
  .object({
    type: z.string().min(1).optional().describe("Only memories of this type."),
    predicate: z.string().min(1).optional().describe("Only memories with this predicate."),
    subject: z.string().min(1).optional().describe("Only memories about this subject: its name (any case) or its resolved entity id."),
    min_confidence: z.number().min(0).max(1).optional().describe("Only memories at or above this confidence."),
  })
  .strict();

/**
 * One line of a queries file (`queries.jsonl`): a question asked of a scope's memory store, its
 * structured filters, and what answers it (golden memory ids or turn ids). `golden import --from
 * locomo` writes one per question of the file.
 */
export const RetrievalQueryRecordSchema = z
  .object({
    id: z.string().min(1).describe("Unique within the file."),
    scope: z.string().min(1).optional().describe("The scope (namespace) whose store the query searches."),
    conversation_id: z.string().min(1).optional().describe("A conversation of that scope, when the scope is not named."),
    text: z.string().trim().min(1, "must not be empty").describe("The query's words."),
    filters: QueryFiltersSchema.optional(),
    relevant_golden: z.array(z.string().min(1)).optional().describe("Golden memory ids that answer the query."),
    relevant_turns: z.array(z.string().min(1)).optional().describe("Turn ids whose memories answer the query."),
    category: z.string().min(1).optional().describe("The query's kind, as its source names it (LoCoMo: 1–5)."),
  })
  .strict()
  .refine((query) => query.scope !== undefined || query.conversation_id !== undefined, { message: "expected a scope or a conversation_id", path: ["scope"] });

export type QueryFiltersRecord = z.infer<typeof QueryFiltersSchema>;
export type RetrievalQueryRecord = z.infer<typeof RetrievalQueryRecordSchema>;
