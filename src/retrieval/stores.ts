import { seededUnit } from "../metrics/random.js";
import type { Strategy } from "../schema/retrieval-record.js";
import type { MemoryVersion, SimulatedStore, StoredMemory } from "../schema/retrieval-store.js";
import type { MemoryTable } from "./memory-table.js";

/** One conversation of a scope as the run log holds it: where each config's memories sit in the scope's table. */
export interface ConversationMemories {
  id: string;
  /** Dataset position (0-based). */
  position: number;
  /** The earliest turn timestamp, when every turn of the conversation's scope carries one. */
  startsAt?: string;
  /** Each version's memories: rows [start, end) of the scope's table; empty when its dry run failed. */
  rows: Record<MemoryVersion, readonly [number, number]>;
}

/** What `coexist_normalized` applies: the suggested predicate mappings (from → to) and confidence factor. */
export interface Normalization {
  mappings: ReadonlyMap<string, string>;
  factor: number | null;
}

/**
 * The scope's conversations in time order: by their earliest turn timestamp when every conversation
 * has one, else in dataset order (ties, too, in dataset order).
 */
export function inTimeOrder(conversations: readonly ConversationMemories[]): ConversationMemories[] {
  const byPosition = [...conversations].sort((a, b) => a.position - b.position);
  if (!byPosition.every((c) => c.startsAt !== undefined)) return byPosition;
  const time = (c: ConversationMemories) => Date.parse(c.startsAt!);
  return byPosition.sort((a, b) => time(a) - time(b) || a.position - b.position);
}

/** Which version each conversation's memories come from: the newest `share` of them from the candidate. */
export function coexistVersions(ordered: readonly ConversationMemories[], share: number): Map<string, MemoryVersion> {
  const fromCandidate = Math.round(share * ordered.length);
  const firstNew = ordered.length - fromCandidate;
  return new Map(ordered.map((c, i) => [c.id, i >= firstNew ? "candidate" : "baseline"]));
}

/** A seeded `percent` of conversations from the candidate; each conversation's draw depends on its id alone. */
export function rolloutVersions(
  conversations: readonly ConversationMemories[],
  percent: number,
  seed: number,
): Map<string, MemoryVersion> {
  return new Map(
    conversations.map((c) => [c.id, seededUnit(seed, "rollout", c.id) < percent / 100 ? "candidate" : "baseline"]),
  );
}

/** A memory with the normalization applied: mapped predicate; the candidate's confidence scaled (clamped to 1). */
export function normalizedMemory(memory: StoredMemory, normalization: Normalization): StoredMemory {
  const predicate = normalization.mappings.get(memory.predicate) ?? memory.predicate;
  const scale = memory.version === "candidate" && normalization.factor !== null ? normalization.factor : 1;
  if (predicate === memory.predicate && scale === 1) return memory;
  return { ...memory, predicate, confidence: Math.min(1, memory.confidence * scale) };
}

/** The memories of a store that takes each conversation's memories from the version `versions` names, made from the scope's table. */
export function storeOf(
  table: MemoryTable,
  strategy: string,
  conversations: readonly ConversationMemories[],
  versions: (id: string) => MemoryVersion,
  view?: (m: StoredMemory) => StoredMemory,
): SimulatedStore {
  const memories: StoredMemory[] = [];
  for (const conversation of conversations) {
    const [start, end] = conversation.rows[versions(conversation.id)];
    for (let row = start; row < end; row++) {
      const memory = table.memory(row);
      memories.push(view ? view(memory) : memory);
    }
  }
  return { scope: table.scope, strategy, memories };
}

/** How one strategy builds its store: each conversation's version, and the view of a memory it holds. */
export interface StorePlan {
  strategy: Strategy | `coexist@${number}`;
  versions: (id: string) => MemoryVersion;
  view?: (memory: StoredMemory) => StoredMemory;
}

export interface StoreOptions {
  coexistShare: number;
  rolloutPercent: number;
  seed: number;
  normalization: Normalization;
}

/**
 * The store each strategy leaves in a scope: `baseline` (no change), `reextract` (every conversation
 * from the candidate), `coexist` (the newest share from the candidate), `coexist_normalized` (coexist
 * with the suggested predicate mappings applied to both parts, the old part as a one-time backfill,
 * and the confidence factor applied to the candidate's part, the only one it was fitted to), and
 * `progressive` (a seeded percentage of conversations from the candidate).
 */
export function strategyPlans(conversations: readonly ConversationMemories[], options: StoreOptions): StorePlan[] {
  const ordered = inTimeOrder(conversations);
  const coexist = coexistVersions(ordered, options.coexistShare);
  const rollout = rolloutVersions(conversations, options.rolloutPercent, options.seed);
  return [
    { strategy: "baseline", versions: () => "baseline" },
    { strategy: "reextract", versions: () => "candidate" },
    { strategy: "coexist", versions: (id) => coexist.get(id)! },
    {
      strategy: "coexist_normalized",
      versions: (id) => coexist.get(id)!,
      view: (m) => normalizedMemory(m, options.normalization),
    },
    { strategy: "progressive", versions: (id) => rollout.get(id)! },
  ];
}

/** `coexist` at another candidate share (the sweep). */
export function sweepPlan(conversations: readonly ConversationMemories[], share: number): StorePlan {
  const versions = coexistVersions(inTimeOrder(conversations), share);
  return { strategy: `coexist@${share}`, versions: (id) => versions.get(id)! };
}
