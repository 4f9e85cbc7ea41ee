import { seededUnit } from "../metrics/random.js";
import type { Candidate } from "../schema/candidate.js";
import type { Strategy } from "../schema/retrieval-record.js";
import type { MemoryVersion, SimulatedStore, StoredMemory } from "../schema/retrieval-store.js";

/** One conversation of a scope as the run log holds it: both configs' memories and which golden memories each covers. */
export interface ConversationMemories {
  id: string;
  /** Dataset position (0-based). */
  position: number;
  /** The earliest turn timestamp, when every turn of the conversation's scope carries one. */
  startsAt?: string;
  /** Each version's memories; empty when its dry run failed. */
  memories: Record<MemoryVersion, StoredMemory[]>;
}

/** What `coexist_normalized` applies: the suggested predicate mappings (from → to) and confidence factor. */
export interface Normalization {
  mappings: ReadonlyMap<string, string>;
  factor: number | null;
}

/** The id a memory keeps in every store: its version, conversation and place in the dry run. */
export function memoryId(version: MemoryVersion, conversationId: string, index: number): string {
  return `${version}:${conversationId}#${index}`;
}

/**
 * One copy of each distinct string: a scope's memories repeat their types, predicates, subjects,
 * objects and turn ids thousands of times, each read from the log as a string of its own.
 */
export function interner(): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    const kept = seen.get(text);
    if (kept !== undefined) return kept;
    seen.set(text, text);
    return text;
  };
}

/** A dry run's candidates as a store would hold them. The subject's entity is kept when it resolved to a known one. */
export function storedMemories(
  candidates: readonly Candidate[],
  version: MemoryVersion,
  conversationId: string,
  scope: string,
  intern: (text: string) => string = (text) => text,
): StoredMemory[] {
  return candidates.map((candidate, index) => {
    const subject = candidate.subject.trim();
    const entity = candidate.entities.find((e) => e.mention === subject && e.stage !== "fallback");
    return {
      id: memoryId(version, conversationId, index),
      conversation_id: conversationId,
      scope,
      version,
      type: intern(candidate.type),
      subject: intern(candidate.subject),
      ...(entity ? { subject_entity: intern(entity.id) } : {}),
      predicate: intern(candidate.predicate),
      object: intern(candidate.object),
      text: intern(candidate.text),
      confidence: candidate.confidence,
      evidence: candidate.evidence.map(intern),
    };
  });
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

/** The memories of a store that takes each conversation's memories from the version `versions` names. */
export function storeOf(
  scope: string,
  strategy: string,
  conversations: readonly ConversationMemories[],
  versions: (id: string) => MemoryVersion,
  view?: (m: StoredMemory) => StoredMemory,
): SimulatedStore {
  const memories: StoredMemory[] = [];
  for (const conversation of conversations) {
    for (const memory of conversation.memories[versions(conversation.id)]) memories.push(view ? view(memory) : memory);
  }
  return { scope, strategy, memories };
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
