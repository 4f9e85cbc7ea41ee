import { z } from "zod";
import { ConfigRoleSchema, EvidenceTurnSchema } from "../run-log.js";
import { JunkCategorySchema } from "../verdict.js";
import { int } from "./numbers.js";

// What a report lists row by row: conversations, missed golden memories, junk candidates, errors.

const sideSummary = z
  .object({ candidates: int, covered: int, useful: int, error: z.string().optional(), stderr: z.string().optional() })
  .strict();

export const ConversationResultSchema = z
  .object({ conversation_id: z.string(), turns: int, golden: int, baseline: sideSummary, candidate: sideSummary })
  .strict();

export const MissedMemorySchema = z
  .object({
    role: ConfigRoleSchema,
    conversation_id: z.string(),
    golden_id: z.string(),
    text: z.string(),
    /** Whether the other config covered it. */
    covered_by_other: z.boolean(),
    evidence: z.array(EvidenceTurnSchema),
  })
  .strict();

export const JunkExampleSchema = z
  .object({
    role: ConfigRoleSchema,
    conversation_id: z.string(),
    candidate_index: int,
    text: z.string(),
    category: JunkCategorySchema.nullable(),
    reason: z.string(),
  })
  .strict();

export const RunErrorEntrySchema = z
  .object({
    role: ConfigRoleSchema,
    conversation_id: z.string(),
    stage: z.enum(["dry_run", "judge"]),
    kind: z.string(),
    message: z.string(),
  })
  .strict();

export type ConversationResult = z.infer<typeof ConversationResultSchema>;
export type MissedMemory = z.infer<typeof MissedMemorySchema>;
export type JunkExample = z.infer<typeof JunkExampleSchema>;
export type RunErrorEntry = z.infer<typeof RunErrorEntrySchema>;
