import { countBy, mean, median, ratio } from "../metrics/numbers.js";
import type { Conversation } from "../schema/conversation.js";
import type { GoldenMemory } from "../schema/golden.js";

export interface GoldenStats {
  conversations: number;
  turns: number;
  memories: number;
  memories_per_conversation: { mean: number | null; median: number | null; min: number; max: number };
  conversations_without_memories: number;
  types: Record<string, number>;
  predicates: Record<string, number>;
  /** Share of turns cited as evidence by at least one memory. */
  evidence_coverage: number | null;
  /** Share of memories with alternative wordings. */
  with_alternatives: number | null;
}

const byCountThenName = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));

/** What a golden set holds. Pure. */
export function computeGoldenStats(conversations: Conversation[], golden: GoldenMemory[]): GoldenStats {
  const perConversation = conversations.map((c) => golden.filter((m) => m.conversation_id === c.id).length);
  const cited = new Set(golden.flatMap((m) => m.evidence.map((id) => `${m.conversation_id}\u0000${id}`)));
  const turns = conversations.reduce((sum, c) => sum + c.turns.length, 0);
  return {
    conversations: conversations.length,
    turns,
    memories: golden.length,
    memories_per_conversation: {
      mean: mean(perConversation),
      median: median(perConversation),
      min: perConversation.length ? Math.min(...perConversation) : 0,
      max: perConversation.length ? Math.max(...perConversation) : 0,
    },
    conversations_without_memories: perConversation.filter((n) => n === 0).length,
    types: byCountThenName(countBy(golden, (m) => m.type ?? "(none)")),
    predicates: byCountThenName(countBy(golden, (m) => m.predicate ?? "(none)")),
    evidence_coverage: ratio(cited.size, turns),
    with_alternatives: ratio(golden.filter((m) => (m.alternatives?.length ?? 0) > 0).length, golden.length),
  };
}
