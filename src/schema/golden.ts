import { z } from "zod";

export const GoldenMemorySchema = z
  .object({
    id: z.string().min(1),
    conversation_id: z.string().min(1),
    /** The fact in plain words. */
    text: z.string().trim().min(1, "must not be empty"),
    /** Other wordings of the same fact; a candidate matching any of them covers the memory. */
    alternatives: z.array(z.string().trim().min(1, "must not be empty")).optional(),
    type: z.string().min(1).optional(),
    subject: z.string().optional(),
    predicate: z.string().optional(),
    object: z.string().optional(),
    /** Turn ids of the conversation that support the fact; each must exist. */
    evidence: z.array(z.string().min(1)).min(1, "must list at least one turn id"),
    importance: z.number().min(1).max(5).optional(),
    notes: z.string().optional(),
  })
  .strict();

export type GoldenMemory = z.infer<typeof GoldenMemorySchema>;
