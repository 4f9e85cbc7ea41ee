import type { BrokenQuery, RetrievalRecord, ScopeStrategyCounts, Strategy } from "../schema/retrieval-record.js";
import { addOutcome, emptyStrategyCounts, evaluateQuery, type RelevantMemory } from "../metrics/retrieval-counts.js";
import type { MemoryTable } from "./memory-table.js";
import { filtersFor, type SimQuery } from "./queries.js";
import {
  storeOf,
  strategyPlans,
  sweepPlan,
  type ConversationMemories,
  type StoreOptions,
  type StorePlan,
} from "./stores.js";
import type { QueryFilters, Retriever, StoredMemory } from "../schema/retrieval-store.js";

/** Examples of broken queries a scope keeps per strategy. */
const EXAMPLES_PER_SCOPE = 3;
/** Memory texts an example shows per store. */
const EXAMPLE_RESULTS = 3;
const MIXED = new Set<string>(["coexist", "coexist_normalized", "progressive"]);

/** One scope as the simulation needs it: its conversations' memories (and which golden memories each covers, per the judge's coverage verdicts), and its queries. */
export interface ScopeData {
  scope: string;
  position: number;
  table: MemoryTable;
  conversations: ConversationMemories[];
  queries: SimQuery[];
}

export interface SimulationOptions extends StoreOptions {
  /** The normalization as the report lists it. */
  mappingList: Array<{ from: string; to: string }>;
  k: number;
  /** Other candidate shares of `coexist` to measure. */
  sweep: readonly number[];
  /** Measure these strategies only, and no sweep. Default: every strategy and the sweep. */
  only?: ReadonlySet<Strategy>;
}

/** Target (golden id or turn key) → the rows of either version's memories that answer it. */
function targetIndex(data: ScopeData): Map<string, number[]> {
  const { table } = data;
  const wanted = new Set(data.queries.flatMap((q) => [...q.golden, ...q.turns]));
  const index = new Map<string, number[]>();
  const add = (target: string, row: number) => {
    if (!wanted.has(target)) return;
    let list = index.get(target);
    if (!list) index.set(target, (list = []));
    list.push(row);
  };
  for (const conversation of data.conversations) {
    for (const [start, end] of [conversation.rows.baseline, conversation.rows.candidate]) {
      for (let row = start; row < end; row++) {
        for (const golden of table.covers(row)) add(golden, row);
        for (const turn of table.evidenceOf(row)) add(`${conversation.id}\u0000${turn}`, row);
      }
    }
  }
  return index;
}

/** The memories of a store relevant to a query, as the store holds them, each with the targets it answers. */
function relevantIn(
  table: MemoryTable,
  plan: StorePlan,
  query: SimQuery,
  index: Map<string, number[]>,
): RelevantMemory[] {
  const found = new Map<number, { memory: StoredMemory; targets: string[] }>();
  for (const target of [...query.golden, ...query.turns]) {
    for (const row of index.get(target) ?? []) {
      if (plan.versions(table.conversationOf(row)) !== table.versionOf(row)) continue;
      const entry = found.get(row);
      if (entry) entry.targets.push(target);
      else {
        const memory = table.memory(row);
        found.set(row, { memory: plan.view ? plan.view(memory) : memory, targets: [target] });
      }
    }
  }
  return [...found.values()];
}

function filterRecord(filters: QueryFilters | undefined): BrokenQuery["filters"] {
  if (!filters) return undefined;
  const entries = Object.entries(filters).filter(([, v]) => v !== undefined) as Array<[string, string | number]>;
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * Build each strategy's store of one scope, ask it every query, and count what it answers. Stores
 * are built one at a time and dropped once searched; a search the retriever fails is counted as
 * failed for that store and left out of its rates.
 */
export async function simulateScope(
  data: ScopeData,
  options: SimulationOptions,
  retriever: Retriever,
): Promise<RetrievalRecord> {
  const index = targetIndex(data);
  const record: RetrievalRecord = {
    kind: "retrieval",
    scope: data.scope,
    position: data.position,
    retriever: retriever.name,
    normalization: { mappings: options.mappingList, factor: options.normalization.factor },
    conversations: data.conversations.length,
    from_candidate: {},
    strategies: {},
    examples: [],
  };
  /** Query id → the texts the baseline store returned for it, for each query the baseline answered. */
  const baselineResults = new Map<string, string[]>();
  const { only } = options;
  const plans = strategyPlans(data.conversations, options).filter(
    (plan) => !only || only.has(plan.strategy as Strategy),
  );
  const sweep = (only ? [] : options.sweep)
    .filter((share) => share !== options.coexistShare)
    .map((share) => sweepPlan(data.conversations, share));
  for (const plan of [...plans, ...sweep]) {
    // The store lives in searchStore's frame only: it is let go before the next one is made.
    const counts = await searchStore(data, plan, index, options, retriever, record, baselineResults);
    const strategy = plan.strategy as Strategy;
    const fromCandidate = data.conversations.filter((c) => plan.versions(c.id) === "candidate").length;
    if (plan.strategy.includes("@")) {
      record.sweep ??= {};
      record.sweep[plan.strategy.slice("coexist@".length)] = { queries: counts.queries, answerable: counts.answerable };
    } else {
      record.strategies[strategy] = counts;
      record.from_candidate[strategy] = fromCandidate;
    }
  }
  return record;
}

/** Build one strategy's store, ask it every query, and count what it answers; examples of broken queries go to `record`. */
async function searchStore(
  data: ScopeData,
  plan: StorePlan,
  index: Map<string, number[]>,
  options: SimulationOptions,
  retriever: Retriever,
  record: RetrievalRecord,
  baselineResults: Map<string, string[]>,
): Promise<ScopeStrategyCounts> {
  const store = storeOf(data.table, plan.strategy, data.conversations, plan.versions, plan.view);
  const textOf = (id: string) => {
    const row = data.table.rowOfId(id);
    return row !== undefined && plan.versions(data.table.conversationOf(row)) === data.table.versionOf(row)
      ? data.table.textOf(row)
      : id;
  };
  const strategy = plan.strategy as Strategy;
  const counts: ScopeStrategyCounts = emptyStrategyCounts(MIXED.has(strategy));
  let examples = 0;
  for (const query of data.queries) {
    const filters = filtersFor(query, plan.strategy);
    let ranked: string[];
    try {
      ranked = await retriever.search(
        store,
        { id: query.id, scope: query.scope, text: query.text, ...(filters ? { filters } : {}) },
        options.k,
      );
    } catch (error) {
      counts.failed++;
      record.failure ??= `${plan.strategy}: query ${query.id}: ${error instanceof Error ? error.message : String(error)}`;
      continue;
    }
    const relevant = relevantIn(data.table, plan, query, index);
    const outcome = evaluateQuery(ranked, relevant, filters, query.golden.length + query.turns.length, options.k);
    addOutcome(counts, query.kind, outcome);
    // The texts an example shows, read only for a query that may be one.
    const shown = () => ranked.slice(0, EXAMPLE_RESULTS).map(textOf);
    if (strategy === "baseline") {
      if (outcome.answerable) baselineResults.set(query.id, shown());
    } else if (
      examples < EXAMPLES_PER_SCOPE &&
      !outcome.answerable &&
      baselineResults.has(query.id) &&
      !plan.strategy.includes("@")
    ) {
      examples++;
      const excluded = [...new Set(outcome.lost.map((l) => l.filter))];
      const filtersShown = filterRecord(filters);
      record.examples.push({
        strategy,
        query_id: query.id,
        kind: query.kind,
        text: query.text,
        ...(filtersShown ? { filters: filtersShown } : {}),
        baseline: baselineResults.get(query.id)!,
        returned: shown(),
        ...(excluded.length > 0 ? { excluded_by: excluded } : {}),
      });
    }
  }
  return counts;
}
