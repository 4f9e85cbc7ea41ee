import { mean, median, ratio } from "../metrics/numbers.js";
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

/** One conversation's part of a golden set: its turn count and its memories. */
export interface ConversationGolden {
  turns: number;
  memories: GoldenMemory[];
}

/** What a golden set holds, taken one conversation at a time (so a set of any size fits). Pure. */
export function foldGoldenStats(conversations: Iterable<ConversationGolden>): GoldenStats {
  const perConversation: number[] = [];
  const types: Record<string, number> = {};
  const predicates: Record<string, number> = {};
  let turns = 0;
  let memories = 0;
  let cited = 0;
  let withAlternatives = 0;
  for (const conversation of conversations) {
    turns += conversation.turns;
    perConversation.push(conversation.memories.length);
    memories += conversation.memories.length;
    cited += new Set(conversation.memories.flatMap((m) => m.evidence)).size;
    for (const memory of conversation.memories) {
      const type = memory.type ?? "(none)";
      const predicate = memory.predicate ?? "(none)";
      types[type] = (types[type] ?? 0) + 1;
      predicates[predicate] = (predicates[predicate] ?? 0) + 1;
      if ((memory.alternatives?.length ?? 0) > 0) withAlternatives++;
    }
  }
  return {
    conversations: perConversation.length,
    turns,
    memories,
    memories_per_conversation: {
      mean: mean(perConversation),
      median: median(perConversation),
      min: perConversation.reduce((min, n) => Math.min(min, n), perConversation.length ? Infinity : 0),
      max: perConversation.reduce((max, n) => Math.max(max, n), 0),
    },
    conversations_without_memories: perConversation.filter((n) => n === 0).length,
    types: byCountThenName(types),
    predicates: byCountThenName(predicates),
    evidence_coverage: ratio(cited, turns),
    with_alternatives: ratio(withAlternatives, memories),
  };
}

/** What a golden set held in memory holds: the memories of each of the conversations. Pure. */
export function computeGoldenStats(conversations: Conversation[], golden: GoldenMemory[]): GoldenStats {
  const byConversation = new Map<string, GoldenMemory[]>();
  for (const memory of golden) {
    const list = byConversation.get(memory.conversation_id);
    if (list) list.push(memory);
    else byConversation.set(memory.conversation_id, [memory]);
  }
  return foldGoldenStats(conversations.map((c) => ({ turns: c.turns.length, memories: byConversation.get(c.id) ?? [] })));
}
