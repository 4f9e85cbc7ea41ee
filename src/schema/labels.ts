import { z } from "zod";

/**
 * A human judgement of one extracted memory, matched to the candidates of its conversation by text
 * (ignoring case and spacing): a usefulness rating, a junk mark, or both.
 */
export const HumanLabelSchema = z
  .object({
    conversation_id: z.string().min(1),
    role: z.enum(["baseline", "candidate"]).optional().describe("Only the candidates of this config. Default: both."),
    text: z.string().min(1).describe("The memory's text as the extractor wrote it."),
    rating: z.number().int().min(1).max(5).optional().describe("Usefulness 1–5; 4 and 5 are useful."),
    junk: z.boolean().optional().describe("Whether the memory is junk."),
  })
  .strict()
  .refine((label) => label.rating !== undefined || label.junk !== undefined, { message: "expected a rating, a junk mark, or both" });

export type HumanLabel = z.infer<typeof HumanLabelSchema>;

/** The key a label and a candidate meet on: conversation and text, case and spacing ignored. */
export function labelKey(conversationId: string, text: string): string {
  return `${conversationId}\u0000${text.trim().toLowerCase().replace(/\s+/g, " ")}`;
}
