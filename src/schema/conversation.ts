import { z } from "zod";

export const TurnRoleSchema = z.enum(["user", "assistant", "system"]);

export const TurnSchema = z
  .object({
    id: z.string().min(1),
    speaker: z.string().min(1),
    role: TurnRoleSchema.optional(),
    text: z.string(),
    ts: z.string().optional(),
  })
  .strict();

/** An entity the memory store already knows in the conversation's scope before it starts. */
export const KnownEntitySchema = z
  .object({
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const ScopeSchema = z.object({ namespace: z.string().min(1) }).catchall(z.string());

export const ConversationSchema = z
  .object({
    id: z.string().min(1),
    scope: ScopeSchema,
    turns: z.array(TurnSchema).min(1),
    /** Entities already in the scope's entity table; resolve_refs matches mentions against them. */
    entities: z.array(KnownEntitySchema).default([]),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((conversation, ctx) => {
    const seen = new Set<string>();
    conversation.turns.forEach((turn, index) => {
      if (seen.has(turn.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["turns", index, "id"],
          message: `duplicate turn id "${turn.id}" (turn ids must be unique in a conversation)`,
        });
      }
      seen.add(turn.id);
    });
  });

export type TurnRole = z.infer<typeof TurnRoleSchema>;
export type Turn = z.infer<typeof TurnSchema>;
export type KnownEntity = z.infer<typeof KnownEntitySchema>;
export type Scope = z.infer<typeof ScopeSchema>;
export type Conversation = z.infer<typeof ConversationSchema>;
