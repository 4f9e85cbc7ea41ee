import type { ConversationEntry } from "../load/load-inputs.js";
import { deriveQueries, sampleGoldenIds, type SimQuery } from "../retrieval/queries.js";
import { createRetriever } from "../retrieval/retrievers/index.js";
import { suggestedNormalization } from "../retrieval/normalization.js";
import { simulateScope } from "../retrieval/simulate.js";
import { MemoryTable } from "../retrieval/memory-table.js";
import type { ConversationMemories } from "../retrieval/stores.js";
import type { RetrievalRecord, Strategy } from "../schema/retrieval-record.js";
import type { MemoryVersion, Retriever, StoredMemory } from "../schema/retrieval-store.js";
import type { GoldenMemory } from "../schema/golden.js";
import { CONFIG_ROLES } from "../schema/run-log.js";
import type { RunPhase } from "../schema/run-phase.js";
import type { RunPlan } from "./plan.js";
import type { RunSession } from "./run-session.js";
import { shardRule } from "./shard.js";

/** The normalization `coexist_normalized` applies, as suggested from a run's totals. */
export type SuggestedNormalization = ReturnType<typeof suggestedNormalization>;

/** What of the plan the simulation reads: its settings, the dataset's scopes, the golden set, the queries and the retriever's context. */
export type RetrievalPlan = Pick<
  RunPlan,
  "bench" | "conversations" | "golden" | "queries" | "baseDir" | "env" | "benchFile" | "models" | "shard"
>;

/** What the simulation reads of the run under way: the dry runs and coverage verdicts in its log, and where to log its records. */
export interface RetrievalPhaseInput
  extends Pick<RunSession, "fold" | "units" | "candidatesOf" | "coverageOf" | "append" | "stopped" | "progress"> {
  plan: RetrievalPlan;
}

/** What simulating a scope reads: the plan and the logged dry runs and coverage verdicts. */
export type ScopeInput = Pick<RetrievalPhaseInput, "plan" | "units" | "candidatesOf" | "coverageOf">;

/** The dataset's conversations grouped by scope (namespace), scopes in order of their first conversation. */
export function byScope(entries: readonly ConversationEntry[]): Map<string, ConversationEntry[]> {
  const scopes = new Map<string, ConversationEntry[]>();
  for (const entry of entries) {
    let list = scopes.get(entry.namespace);
    if (!list) scopes.set(entry.namespace, (list = []));
    list.push(entry);
  }
  return scopes;
}

/** Golden id → the row of each version's memory that covers it first. */
type Covering = Map<string, Partial<Record<MemoryVersion, number>>>;

/** One scope's memories from the log, in one table: both configs' dry runs (a failed one holds none) and what each memory covers. */
function scopeMemories(input: ScopeInput, scope: string, entries: readonly ConversationEntry[]) {
  const table = new MemoryTable(scope);
  const conversations: ConversationMemories[] = [];
  const covering: Covering = new Map();
  for (const entry of entries) {
    const rows = {} as Record<MemoryVersion, readonly [number, number]>;
    for (const role of CONFIG_ROLES) {
      const logged = input.units.dryRun(role, entry.id);
      const candidates = logged && !logged.failed ? input.candidatesOf(role, entry.id) : [];
      const [start, end] = (rows[role] = table.add(candidates, role, entry.id));
      if (start === end) continue;
      for (const verdict of input.coverageOf(role, entry.id)) {
        if (!verdict.covered) continue;
        for (const index of verdict.candidate_indexes) {
          if (index >= 0 && start + index < end) table.addCover(start + index, verdict.golden_id);
        }
        const first = verdict.candidate_indexes[0];
        if (first !== undefined && first >= 0 && start + first < end)
          covering.set(verdict.golden_id, { ...covering.get(verdict.golden_id), [role]: start + first });
      }
    }
    conversations.push({
      id: entry.id,
      position: entry.position,
      ...(entry.startsAt !== undefined ? { startsAt: entry.startsAt } : {}),
      rows,
    });
  }
  return { table, conversations, covering };
}

/**
 * Derived queries of a scope: a seeded sample of its golden memories that either config extracted
 * (one neither captured says nothing about a strategy: it is in the recall metric), each a filtered
 * lookup and a text query.
 */
function derivedQueries(
  input: ScopeInput,
  scope: string,
  entries: readonly ConversationEntry[],
  table: MemoryTable,
  covering: Covering,
): SimQuery[] {
  const { plan } = input;
  const settings = plan.bench.retrieval;
  const golden: GoldenMemory[] = entries.flatMap((entry) =>
    plan.golden.forConversation(entry.id).filter((g) => covering.has(g.id)),
  );
  const sampled = sampleGoldenIds(
    golden.map((g) => g.id),
    settings.max_queries_per_scope,
    plan.bench.seed,
  );
  return golden
    .filter((g) => sampled.has(g.id))
    .flatMap((g) => {
      const rows = covering.get(g.id) ?? {};
      const memories: Partial<Record<MemoryVersion, StoredMemory>> = {};
      for (const role of CONFIG_ROLES) if (rows[role] !== undefined) memories[role] = table.memory(rows[role]);
      return deriveQueries(g, scope, memories, settings.min_confidence);
    });
}

/** The retriever the plan's settings name, in its context (the caller closes it). */
export function planRetriever(plan: RetrievalPlan): Promise<Retriever> {
  return createRetriever(plan.bench.retrieval.retriever, {
    baseDir: plan.baseDir,
    env: plan.env,
    ...(plan.benchFile ? { benchFile: plan.benchFile } : {}),
    ...(plan.models ? { models: plan.models } : {}),
  });
}

/**
 * Simulate one scope from the logged dry runs and coverage verdicts: its stores built, searched with
 * its queries and measured. Undefined when the scope has no query. `only`: the strategies to measure
 * (default every one, and the sweep).
 */
export async function simulateLoggedScope(
  input: ScopeInput,
  scope: string,
  entries: readonly ConversationEntry[],
  normalization: SuggestedNormalization,
  retriever: Retriever,
  only?: ReadonlySet<Strategy>,
): Promise<RetrievalRecord | undefined> {
  const { plan } = input;
  const settings = plan.bench.retrieval;
  const { table, conversations, covering } = scopeMemories(input, scope, entries);
  const queries = plan.queries
    ? (plan.queries.byScope.get(scope) ?? [])
    : derivedQueries(input, scope, entries, table, covering);
  if (queries.length === 0) return undefined;
  return simulateScope(
    { scope, position: entries[0]!.position, table, conversations, queries },
    {
      k: settings.k,
      coexistShare: settings.coexist_share,
      sweep: settings.coexist_sweep,
      rolloutPercent: settings.rollout_percent,
      seed: plan.bench.seed,
      normalization,
      mappingList: normalization.list,
      ...(only ? { only } : {}),
    },
    retriever,
  );
}

/**
 * The retrieval simulation, after every dry run is judged: per scope, the stores each strategy would
 * leave are built from the logged dry runs (no extraction), searched with the scope's queries, and
 * the measurements logged as one record. Scopes already logged (a resumed run) are kept. A shard
 * split by scope holds whole scopes and simulates them; one split by conversation (an older log)
 * holds part of most scopes, and a store built from part of a scope is a store nobody has.
 */
export async function runRetrievalPhase(input: RetrievalPhaseInput): Promise<RunPhase | undefined> {
  const { plan, fold } = input;
  if (!plan.bench.retrieval.enabled || (plan.shard && shardRule(plan.shard) !== "scope")) return undefined;
  const started = performance.now();
  const scopes = byScope(plan.conversations.entries);
  const normalization = suggestedNormalization(fold.sides, fold.pairs, plan.bench.confidence_buckets);
  const retriever = await planRetriever(plan);
  let done = 0;
  try {
    for (const [scope, entries] of scopes) {
      if (input.stopped()) break;
      if (!input.units.retrievalScopes.has(scope)) {
        // A scope's memories live in simulateLoggedScope's frame only: they are let go before the next scope's are read.
        const record = await simulateLoggedScope(input, scope, entries, normalization, retriever);
        if (record) input.append(record);
      }
      input.progress("retrieval", ++done, scopes.size);
    }
  } finally {
    await retriever.close?.();
  }
  return { name: "retrieval", wall_ms: Math.round(performance.now() - started), units: scopes.size };
}
