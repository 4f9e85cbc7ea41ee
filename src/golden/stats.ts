import { mean, median, ratio } from "../metrics/numbers.js";
import type { Conversation } from "../schema/conversation.js";
import type { GoldenMemory } from "../schema/golden.js";
import { countMissingFields, type MissingFields } from "./check-golden.js";

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
  /** Memories lacking all (text only) or some of type, subject, predicate and object; the review page fills them in. */
  memories_missing_fields: MissingFields;
  /** The smallest change of recall and precision a run on this set can detect (see detectableChange). */
  detectable_change: DetectableChange;
}

/** The flip rate of the noisy judge the second detectable-change figure assumes: an LLM judge that gets 1 verdict in 10 wrong. */
export const ASSUMED_JUDGE_FLIP_RATE = 0.1;
/** z of a two-sided 95% interval plus z of 80% power. */
const DETECT_Z = 1.959964 + 0.841621;

export interface DetectableChange {
  /** Verdicts a precision or recall figure rests on: the golden memories (recall), and about as many candidates (precision). */
  items: number;
  /** With a judge that never contradicts itself (the heuristic one); a fraction, null for an empty set. */
  deterministic_judge: number | null;
  /** With a judge that flips ASSUMED_JUDGE_FLIP_RATE of its verdicts, after correcting for that rate. */
  noisy_judge: number | null;
  judge_flip_rate: number;
  method: string;
}

export const DETECTABLE_CHANGE_METHOD =
  "smallest change whose paired 95% interval excludes 0 with 80% power, for a change that moves items one way (each item's verdict is independent); " +
  "a judge that flips a share q of its verdicts adds 2q(1 − q) of variance per item and shrinks the observed change by 1 − 2q. " +
  "Changes that move items both ways, and conversations that differ from each other, need more: a run's report gives the measured spread.";

/**
 * The smallest true change δ of a rate over `items` verdicts that a paired comparison detects (95%
 * interval excluding 0, 80% power): the observed change d = δ(1 − 2q) must reach z · √(v / n), with
 * per-item variance v = d(1 − d) + 2q(1 − q) for a change moving items one way. Solving
 * d²(n + z²) − z²d − 2q(1 − q)z² = 0 for d gives it in closed form.
 */
export function detectableChange(items: number, flipRate = 0): number | null {
  if (items <= 0) return null;
  const z2 = DETECT_Z ** 2;
  const noise = 2 * flipRate * (1 - flipRate);
  const observed = (z2 + Math.sqrt(z2 * z2 + 4 * (items + z2) * noise * z2)) / (2 * (items + z2));
  return Math.min(1, observed / (1 - 2 * flipRate));
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
  const missingFields: MissingFields = { all: 0, some: 0 };
  for (const conversation of conversations) {
    turns += conversation.turns;
    perConversation.push(conversation.memories.length);
    memories += conversation.memories.length;
    cited += new Set(conversation.memories.flatMap((m) => m.evidence)).size;
    countMissingFields(conversation.memories, missingFields);
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
    memories_missing_fields: missingFields,
    detectable_change: {
      items: memories,
      deterministic_judge: detectableChange(memories),
      noisy_judge: detectableChange(memories, ASSUMED_JUDGE_FLIP_RATE),
      judge_flip_rate: ASSUMED_JUDGE_FLIP_RATE,
      method: DETECTABLE_CHANGE_METHOD,
    },
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
  return foldGoldenStats(
    conversations.map((c) => ({ turns: c.turns.length, memories: byConversation.get(c.id) ?? [] })),
  );
}
