import { throwIfProblems, type Problem } from "../errors.js";
import { locatedProblem, type ConversationSet } from "../load/load-inputs.js";
import { lineOf, streamRecords } from "../load/read-records.js";
import { seededRankOrder } from "../metrics/random.js";
import { GoldenMemorySchema, type GoldenMemory } from "../schema/golden.js";
import type { QueryKind } from "../schema/retrieval-record.js";
import { RetrievalQueryLineSchema } from "../schema/retrieval-query.js";
import type { MemoryVersion, QueryFilters, RetrievalQuery, StoredMemory } from "../schema/retrieval-store.js";

/** A query as the simulation asks it: what it searches for, and what answers it. */
export interface SimQuery extends RetrievalQuery {
  kind: QueryKind;
  /** Golden memory ids a relevant memory covers. */
  golden: readonly string[];
  /** Turns a relevant memory cites, as turnKey(conversation, turn). */
  turns: readonly string[];
  /**
   * The same lookup in the candidate's vocabulary: what the application asks a store re-extracted
   * whole, since a full re-extraction is a cutover and the application's queries move with it.
   */
  candidateFilters?: QueryFilters;
}

export function turnKey(conversationId: string, turnId: string): string {
  return `${conversationId}\u0000${turnId}`;
}

/** The filters a store of `strategy` is asked with: the candidate's vocabulary for a full re-extraction, the baseline's otherwise. */
export function filtersFor(query: SimQuery, strategy: string): QueryFilters | undefined {
  return strategy === "reextract" && query.candidateFilters ? query.candidateFilters : query.filters;
}

/** The queries file, validated against the dataset and the golden set, grouped by scope. */
export interface QueryFile {
  byScope: Map<string, SimQuery[]>;
  count: number;
}

/** Golden memory id → its conversation, streamed from the golden set. */
function goldenConversations(goldenPath: string): Map<string, string> {
  const problems: Problem[] = [];
  const owners = new Map<string, string>();
  streamRecords(goldenPath, GoldenMemorySchema, problems, (memory) => owners.set(memory.id, memory.conversation_id));
  throwIfProblems(problems);
  return owners;
}

/**
 * Read and check a queries file (JSONL): every conversation, scope, turn and golden id it names must
 * exist, and a golden memory or turn must belong to the query's scope. Throws InputError naming the
 * file, line and field of every problem.
 */
export function loadQueryFile(path: string, conversations: ConversationSet, goldenPath: string): QueryFile {
  const problems: Problem[] = [];
  const namespaces = new Set(conversations.entries.map((e) => e.namespace));
  let owners: Map<string, string> | undefined;
  const turnsByScope = new Map<string, Map<string, string[]>>();
  /** Turn id → conversations of the scope that have it. */
  const scopeTurns = (scope: string) => {
    let turns = turnsByScope.get(scope);
    if (turns) return turns;
    turnsByScope.set(scope, (turns = new Map()));
    for (const entry of conversations.entries) {
      if (entry.namespace !== scope) continue;
      for (const turn of entry.turnIds.split("\u0000")) turns.set(turn, [...(turns.get(turn) ?? []), entry.id]);
    }
    return turns;
  };
  const seen = new Map<string, number | undefined>();
  const byScope = new Map<string, SimQuery[]>();
  let count = 0;
  streamRecords(path, RetrievalQueryLineSchema, problems, (line, where) => {
    const before = problems.length;
    const at = (field: ReadonlyArray<PropertyKey>, message: string) =>
      problems.push(locatedProblem(where, field, message));
    if (seen.has(line.id)) at(["id"], `duplicate query id "${line.id}" (first on line ${seen.get(line.id)})`);
    seen.set(line.id, lineOf(where));
    const entry = line.conversation_id === undefined ? undefined : conversations.get(line.conversation_id);
    if (line.conversation_id !== undefined && !entry)
      at(["conversation_id"], `no conversation "${line.conversation_id}" in the dataset`);
    if (line.scope !== undefined && !namespaces.has(line.scope))
      at(["scope"], `no conversation of the dataset has scope "${line.scope}"`);
    if (line.scope !== undefined && entry && entry.namespace !== line.scope)
      at(["scope"], `conversation "${entry.id}" is in scope "${entry.namespace}", not "${line.scope}"`);
    if (problems.length > before) return;
    const scope = entry?.namespace ?? line.scope!;
    const turns: string[] = [];
    (line.relevant_turns ?? []).forEach((turn, index) => {
      if (entry) {
        if (entry.turnIds.split("\u0000").includes(turn)) turns.push(turnKey(entry.id, turn));
        else at(["relevant_turns", index], `no turn "${turn}" in conversation "${entry.id}"`);
        return;
      }
      const holders = scopeTurns(scope).get(turn) ?? [];
      if (holders.length === 1) turns.push(turnKey(holders[0]!, turn));
      else if (holders.length === 0)
        at(["relevant_turns", index], `no turn "${turn}" in any conversation of scope "${scope}"`);
      else
        at(
          ["relevant_turns", index],
          `turn "${turn}" is in several conversations of scope "${scope}" (${holders.slice(0, 3).join(", ")}): give the query's \`conversation_id\``,
        );
    });
    (line.relevant_golden ?? []).forEach((id, index) => {
      owners ??= goldenConversations(goldenPath);
      const owner = owners.get(id);
      const ownerScope = owner === undefined ? undefined : conversations.get(owner)?.namespace;
      if (owner === undefined) at(["relevant_golden", index], `no golden memory "${id}" in the golden set`);
      else if (ownerScope !== scope)
        at(
          ["relevant_golden", index],
          `golden memory "${id}" belongs to scope "${ownerScope}", not the query's scope "${scope}"`,
        );
    });
    if (problems.length > before) return;
    const query: SimQuery = {
      id: line.id,
      scope,
      text: line.text,
      kind: "file",
      golden: line.relevant_golden ?? [],
      turns,
      ...(line.filters ? { filters: line.filters } : {}),
    };
    let list = byScope.get(scope);
    if (!list) byScope.set(scope, (list = []));
    list.push(query);
    count++;
  });
  throwIfProblems(problems);
  return { byScope, count };
}

/** The golden memories a scope's derived queries come from: at most `max`, drawn by a seeded hash of their ids. */
export function sampleGoldenIds(ids: readonly string[], max: number, seed: number): Set<string> {
  return new Set(ids.length <= max ? ids : seededRankOrder([...ids], seed, "retrieval-queries").slice(0, max));
}

/** The lookup a store is asked: the memory's type, predicate and subject as a covering memory states them, else as the golden memory does. */
function lookupFilters(
  golden: GoldenMemory,
  covering: StoredMemory | undefined,
  minConfidence: number | undefined,
): QueryFilters {
  const type = covering?.type ?? golden.type;
  const predicate = covering?.predicate ?? golden.predicate;
  const subject = covering?.subject ?? golden.subject;
  return {
    ...(type ? { type } : {}),
    ...(predicate ? { predicate } : {}),
    ...(subject ? { subject } : {}),
    ...(minConfidence !== undefined ? { min_confidence: minConfidence } : {}),
  };
}

/**
 * Queries derived from a golden memory, a proxy for an application's own: the structured lookup an
 * application written against the baseline's vocabulary makes (the type, predicate and subject of the
 * baseline's memory that covers it, else the golden memory's own fields), with the memory's words as
 * its text; and the words alone, unfiltered.
 */
export function deriveQueries(
  golden: GoldenMemory,
  scope: string,
  covering: Partial<Record<MemoryVersion, StoredMemory>>,
  minConfidence: number | undefined,
): SimQuery[] {
  const base = { scope, text: golden.text, golden: [golden.id], turns: [] as string[] };
  const filters = lookupFilters(golden, covering.baseline, minConfidence);
  const candidateFilters = lookupFilters(golden, covering.candidate, minConfidence);
  return [
    { ...base, id: `${golden.id}#lookup`, kind: "lookup", filters, candidateFilters },
    { ...base, id: `${golden.id}#text`, kind: "text" },
  ];
}
