/**
 * Small typed builders for metrics and recommend tests. A run is described as a format 2 log did it
 * (the dataset's conversations and the golden set in run_start, unit records without what those give),
 * so a test states its golden memories once. Every record that goes into a RunData is validated by the
 * real run-log schemas, upgraded to the current shape by the real log upgrade, and indexed by the real
 * `indexRunLog`, so fixtures cannot drift from the shapes the bench reads.
 */
import {
  BenchConfigSchema,
  ThresholdsSchema,
  type BenchConfig,
  type Thresholds,
} from "../../src/schema/bench-config.js";
import type { Candidate } from "../../src/schema/candidate.js";
import type { DryRunResult, SampleError, StageCounts, Usage } from "../../src/schema/dry-run.js";
import { ExtractorConfigSchema, type ExtractorConfig } from "../../src/schema/extractor-config.js";
import type { GoldenMemory } from "../../src/schema/golden.js";
import type {
  Completeness,
  ConfigDiff,
  ConfigMetrics,
  Deltas,
  Pairing,
  TypeChange,
  Vocabulary,
} from "../../src/schema/report.js";
import { RunLogRecordSchema, type ConfigRole, type RunLogRecord } from "../../src/schema/run-log.js";
import { RunStartFormat2Schema, type RunStartFormat2 } from "../../src/schema/run-log-format-2.js";
import { logUpgrade } from "../../src/run/log-upgrade.js";
import type { JunkCategory } from "../../src/schema/verdict.js";
import type { RunData } from "../../src/metrics/run-data.js";
import { indexRunLog } from "../../src/run/run-fold.js";
import { makeCandidate } from "../fixtures/candidate.js";

// ---------------------------------------------------------------- candidates and dry runs

export { makeCandidate };

/** `n` candidates with the given predicate (and type), for vocabulary and type counts. */
export function candidatesWith(n: number, fields: Partial<Candidate>): Candidate[] {
  return Array.from({ length: n }, (_, i) => makeCandidate({ object: `object ${i}`, ...fields }));
}

export interface DryRunOverrides {
  counts?: Partial<Omit<StageCounts, "resolved_by_stage">> & {
    resolved_by_stage?: Partial<StageCounts["resolved_by_stage"]>;
  };
  usage?: Partial<Usage>;
  latency_ms?: number;
  error?: SampleError;
}

/** A dry run of one conversation; counts default to "every candidate extracted and resolved exactly". */
export function makeDryRun(
  conversationId: string,
  candidates: Candidate[],
  overrides: DryRunOverrides = {},
): DryRunResult {
  const { resolved_by_stage, ...counts } = overrides.counts ?? {};
  const result: DryRunResult = {
    conversation_id: conversationId,
    candidates,
    counts: {
      turns: 4,
      prefiltered_turns: 0,
      extract_calls: 1,
      extracted: candidates.length,
      json_failures: 0,
      deduped: 0,
      ...counts,
      resolved_by_stage: { exact: candidates.length, alias: 0, fuzzy: 0, fallback: 0, ...resolved_by_stage },
    },
    usage: { input_tokens: 0, output_tokens: 0, ...overrides.usage },
    latency_ms: overrides.latency_ms ?? 0,
  };
  if (overrides.error) result.error = overrides.error;
  return result;
}

// ---------------------------------------------------------------- run log

export function makeGolden(id: string, conversationId: string, text = `golden memory ${id}`): GoldenMemory {
  return { id, conversation_id: conversationId, text, evidence: ["t1"] };
}

export function makeExtractorConfig(input: unknown = {}): ExtractorConfig {
  const { extractor, ...rest } = (input ?? {}) as { extractor?: Record<string, unknown> } & Record<string, unknown>;
  return ExtractorConfigSchema.parse({
    name: "config",
    ...rest,
    extractor: { provider: "rules", model: "rules-v1", schema_version: 1, ...extractor },
  });
}

export function makeBench(overrides: Partial<BenchConfig> = {}): BenchConfig {
  return BenchConfigSchema.parse({
    baseline: "configs/baseline.yaml",
    candidate: "configs/candidate.yaml",
    dataset: "datasets/demo.jsonl",
    golden: "golden/demo.jsonl",
    ...overrides,
  });
}

export function makeRunStart(options: {
  conversations: Array<{ id: string; turns: number }>;
  golden?: GoldenMemory[];
  bench?: Partial<BenchConfig>;
}): RunStartFormat2 {
  return {
    kind: "run_start",
    format_version: 2,
    run_id: "run-test",
    started_at: "2025-01-01T00:00:00.000Z",
    tool_version: "0.0.0-test",
    bench: makeBench(options.bench),
    configs: {
      baseline: { path: "configs/baseline.yaml", config: makeExtractorConfig({ name: "baseline" }) },
      candidate: { path: "configs/candidate.yaml", config: makeExtractorConfig({ name: "candidate" }) },
    },
    dataset: {
      path: "datasets/demo.jsonl",
      conversations: options.conversations.map((c) => ({ id: c.id, namespace: `user:${c.id}`, turns: c.turns })),
    },
    golden: { path: "golden/demo.jsonl", memories: options.golden ?? [] },
    judge: { id: "heuristic", kind: "heuristic", description: "test judge" },
  };
}

export function dryRunRecord(role: ConfigRole, result: DryRunResult): RunLogRecord {
  return { kind: "dry_run", role, conversation_id: result.conversation_id, result };
}

/** One usefulness verdict per candidate index, in order; `true` = useful (rated 4). */
export function usefulnessRecord(
  role: ConfigRole,
  conversationId: string,
  useful: boolean[],
  error?: string,
): RunLogRecord {
  return {
    kind: "judgement",
    task: "usefulness",
    role,
    conversation_id: conversationId,
    judge: "heuristic",
    items: error ? [] : useful.map((u, i) => ({ candidate_index: i, rating: u ? 4 : 2, useful: u, reason: "test" })),
    ...(error ? { error } : {}),
  };
}

/** Coverage of each golden id: covered or not. */
export function coverageRecord(
  role: ConfigRole,
  conversationId: string,
  covered: Record<string, boolean>,
  error?: string,
): RunLogRecord {
  return {
    kind: "judgement",
    task: "coverage",
    role,
    conversation_id: conversationId,
    judge: "heuristic",
    items: error
      ? []
      : Object.entries(covered).map(([golden_id, c]) => ({
          golden_id,
          covered: c,
          candidate_indexes: c ? [0] : [],
          score: c ? 1 : 0,
          method: c ? ("lexical" as const) : ("none" as const),
        })),
    missed_evidence: {},
    ...(error ? { error } : {}),
  };
}

export function junkRecord(
  role: ConfigRole,
  conversationId: string,
  verdicts: Array<{ index: number; junk: boolean; category?: JunkCategory; text?: string }>,
  error?: string,
): RunLogRecord {
  const texts = Object.fromEntries(
    verdicts.filter((v) => v.junk && v.text !== undefined).map((v) => [String(v.index), v.text!]),
  );
  return {
    kind: "judgement",
    task: "junk",
    role,
    conversation_id: conversationId,
    judge: "heuristic",
    items: error
      ? []
      : verdicts.map((v) => ({ candidate_index: v.index, junk: v.junk, category: v.category ?? null, reason: "test" })),
    ...(Object.keys(texts).length > 0 ? { texts } : {}),
    ...(error ? { error } : {}),
  };
}

/** Validate every record with the run-log schemas, upgrade them as a format 2 log is read, then index them as the report builder does. */
export function makeRunData(start: RunStartFormat2, records: RunLogRecord[]): RunData {
  const upgrade = logUpgrade(RunStartFormat2Schema.parse(start));
  return indexRunLog(
    [start, ...records.map((record) => RunLogRecordSchema.parse(record))].map((record) => upgrade.record(record)),
  );
}

// ---------------------------------------------------------------- report sections

export function makeThresholds(overrides: Partial<Thresholds> = {}): Thresholds {
  return ThresholdsSchema.parse(overrides);
}

type DeepPartialMetrics = {
  [K in keyof ConfigMetrics]?: ConfigMetrics[K] extends Array<unknown> | Record<string, number>
    ? ConfigMetrics[K]
    : ConfigMetrics[K] extends object
      ? Partial<ConfigMetrics[K]>
      : ConfigMetrics[K];
};

/** A plausible ConfigMetrics; each section's fields can be overridden one by one. */
export function makeConfigMetrics(overrides: DeepPartialMetrics = {}): ConfigMetrics {
  const base: ConfigMetrics = {
    conversations: 10,
    turns: 100,
    candidates: 50,
    precision: { value: 0.8, useful: 40, judged: 50, ci: [0.7, 0.9] },
    recall: { value: 0.6, covered: 30, golden: 50, ci: [0.5, 0.7] },
    extraction: { per_turn: 0.5, per_conversation: 5, ci: [0.45, 0.55] },
    junk: { rate: 0.1, junk: 5, judged: 50, conversations: 10, by_category: {}, ci: [0.05, 0.15] },
    confidence: { histogram: [], mean: 0.7, median: 0.7, high_share: 0.5 },
    types: { fact: 50 },
    predicates: { distinct: 5, top: [] },
    operating: {
      extract_calls: 10,
      json_failures: 0,
      json_fail_rate: 0,
      answer_failures: {},
      repairs: {},
      dropped: {},
      extracted: 50,
      deduped: 5,
      dedup_collapse_rate: 0.1,
      resolved_by_stage: { exact: 50, alias: 0, fuzzy: 0, fallback: 0 },
      entity_resolution_fail_rate: 0,
      prefiltered_turns: 0,
      latency_p50_ms: 10,
      latency_p95_ms: 20,
      input_tokens: 0,
      output_tokens: 0,
    },
  };
  const merged = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const current = (base as Record<string, unknown>)[key];
    merged[key] =
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === "object" &&
      !Array.isArray(current) &&
      key !== "types"
        ? { ...current, ...value }
        : value;
  }
  return merged as ConfigMetrics;
}

export function makeDeltas(overrides: Partial<Deltas> = {}): Deltas {
  return {
    precision: { value: 0, ci: [-0.05, 0.05], se: 0.025 },
    recall: { value: 0, ci: [0, 0.02], se: 0.005 },
    extraction_per_turn: { value: 0, ci: [-0.05, 0.05], se: 0.025 },
    junk: { value: 0, ci: [-0.02, 0.02], se: 0.01 },
    confidence_high_share: 0,
    confidence_mean: 0,
    json_fail_rate: 0,
    dedup_collapse_rate: 0,
    entity_resolution_fail_rate: 0,
    entity_resolution: { value: 0, ci: [-0.005, 0.005], se: 0.0025 },
    ...overrides,
  };
}

/** Identical vocabularies by default: Jaccard 1, nothing on one side only. */
export function makeVocabulary(overrides: Partial<Vocabulary> = {}): Vocabulary {
  return {
    top_k: 50,
    jaccard: 1,
    band: "minimal",
    shared: ["lives_in", "works_at"],
    only_baseline: [],
    only_candidate: [],
    renames: [],
    suggestions: [],
    ...overrides,
  };
}

export function makeTypeChange(overrides: Partial<TypeChange> = {}): TypeChange {
  return {
    baseline: { fact: 10 },
    candidate: { fact: 10 },
    appeared: [],
    disappeared: [],
    moved: [],
    moved_by_type: [],
    ...overrides,
  };
}

export function makePairing(overrides: Partial<Pairing> = {}): Pairing {
  return {
    pairs: 0,
    predicate_changed: 0,
    type_changed: 0,
    subject_text_changed: 0,
    subject_entity_changed: 0,
    subject_examples: [],
    ...overrides,
  };
}

/** A completeness block for `conversations` paired conversations with no failure. */
export function makeCompleteness(overrides: Partial<Completeness> = {}, conversations = 10): Completeness {
  const side = {
    attempted: conversations,
    succeeded: conversations,
    failed: 0,
    failed_rate: 0,
    failed_by_kind: {},
    judge_errors: {},
  };
  return {
    complete: true,
    conversations,
    paired_conversations: conversations,
    missing_dry_runs: 0,
    baseline: side,
    candidate: { ...side },
    ...overrides,
  };
}

export function makeDiff(overrides: Partial<ConfigDiff> = {}): ConfigDiff {
  return {
    changed: [],
    kinds: [],
    model_changed: false,
    prompt_changed: false,
    type_rules_changed: false,
    schema_version_changed: false,
    ...overrides,
  };
}

// ---------------------------------------------------------------- a three-conversation run

/**
 * Three conversations (c1: 4 turns, c2: 6, c3: 5) and six golden memories (c1: g1 g2; c2: g3 g4 g5; c3: g6).
 * The expected numbers of every test that uses this run are worked out next to its assertions.
 *
 * baseline  c1: works_at Acme Corp [t1] 0.8 fact, lives_in Berlin [t2] 0.6 fact
 *           c2: likes sushi [t1] 0.9 preference, works_at Globex [t3] 0.7 fact (Bob), has_child Sam [t4] 0.5 relation
 *           c3: likes jazz [t2] 0.3 preference (Bob)
 * candidate c1: worksAt Acme Corp [t1] 0.9 fact, lives_in Berlin [t2] 0.85 fact, likes coffee [t3] 0.75 preference
 *           c2: failed (timeout), no candidates
 *           c3: likes jazz [t2] 0.95 preference (Bob), plays guitar [t5] 0.6 fact (Bob)
 */
export function threeConversationRun(options: { bench?: Partial<BenchConfig> } = {}): {
  start: RunStartFormat2;
  records: RunLogRecord[];
} {
  const start = makeRunStart({
    conversations: [
      { id: "c1", turns: 4 },
      { id: "c2", turns: 6 },
      { id: "c3", turns: 5 },
    ],
    golden: [
      makeGolden("g1", "c1", "Alice works at Acme Corp"),
      makeGolden("g2", "c1", "Alice lives in Berlin"),
      makeGolden("g3", "c2", "Alice likes sushi"),
      makeGolden("g4", "c2", "Bob works at Globex"),
      makeGolden("g5", "c2", "Alice has a child named Sam"),
      makeGolden("g6", "c3", "Bob likes jazz"),
    ],
    bench: options.bench,
  });
  const c = (fields: Partial<Candidate>) => makeCandidate(fields);
  const baseline = {
    c1: makeDryRun(
      "c1",
      [
        c({
          text: "Alice works at Acme Corp",
          predicate: "works_at",
          object: "Acme Corp",
          evidence: ["t1"],
          confidence: 0.8,
          type: "fact",
        }),
        c({
          text: "Alice lives in Berlin",
          predicate: "lives_in",
          object: "Berlin",
          evidence: ["t2"],
          confidence: 0.6,
          type: "fact",
        }),
      ],
      {
        counts: {
          turns: 4,
          prefiltered_turns: 1,
          extract_calls: 1,
          extracted: 2,
          json_failures: 0,
          deduped: 0,
          resolved_by_stage: { exact: 2 },
        },
        usage: { input_tokens: 100, output_tokens: 20 },
        latency_ms: 100,
      },
    ),
    c2: makeDryRun(
      "c2",
      [
        c({
          text: "Alice likes sushi",
          predicate: "likes",
          object: "sushi",
          evidence: ["t1"],
          confidence: 0.9,
          type: "preference",
        }),
        c({
          text: "Bob works at Globex",
          subject: "Bob",
          predicate: "works_at",
          object: "Globex",
          evidence: ["t3"],
          confidence: 0.7,
          type: "fact",
        }),
        c({
          text: "Alice has a child, Sam",
          predicate: "has_child",
          object: "Sam",
          evidence: ["t4"],
          confidence: 0.5,
          type: "relation",
        }),
      ],
      {
        counts: {
          turns: 6,
          prefiltered_turns: 2,
          extract_calls: 2,
          extracted: 4,
          json_failures: 1,
          deduped: 1,
          resolved_by_stage: { exact: 2, alias: 1, fuzzy: 0, fallback: 1 },
        },
        usage: { input_tokens: 200, output_tokens: 40 },
        latency_ms: 300,
      },
    ),
    c3: makeDryRun(
      "c3",
      [
        c({
          text: "Bob likes jazz",
          subject: "Bob",
          predicate: "likes",
          object: "jazz",
          evidence: ["t2"],
          confidence: 0.3,
          type: "preference",
        }),
      ],
      {
        counts: {
          turns: 5,
          prefiltered_turns: 0,
          extract_calls: 1,
          extracted: 1,
          json_failures: 0,
          deduped: 0,
          resolved_by_stage: { exact: 1 },
        },
        usage: { input_tokens: 50, output_tokens: 10 },
        latency_ms: 200,
      },
    ),
  };
  const candidate = {
    c1: makeDryRun(
      "c1",
      [
        c({
          text: "Alice works at Acme Corp",
          predicate: "worksAt",
          object: "Acme Corp",
          evidence: ["t1"],
          confidence: 0.9,
          type: "fact",
        }),
        c({
          text: "Alice lives in Berlin",
          predicate: "lives_in",
          object: "Berlin",
          evidence: ["t2"],
          confidence: 0.85,
          type: "fact",
        }),
        c({
          text: "The assistant likes coffee",
          predicate: "likes",
          object: "coffee",
          evidence: ["t3"],
          confidence: 0.75,
          type: "preference",
        }),
      ],
      {
        counts: {
          turns: 4,
          prefiltered_turns: 1,
          extract_calls: 1,
          extracted: 3,
          json_failures: 0,
          deduped: 0,
          resolved_by_stage: { exact: 2, alias: 0, fuzzy: 1, fallback: 0 },
        },
        usage: { input_tokens: 120, output_tokens: 30 },
        latency_ms: 150,
      },
    ),
    c2: makeDryRun("c2", [], {
      counts: { turns: 6, prefiltered_turns: 0, extract_calls: 1, extracted: 0, json_failures: 1, deduped: 0 },
      latency_ms: 1000,
      error: { kind: "timeout", message: "timed out after 30000 ms" },
    }),
    c3: makeDryRun(
      "c3",
      [
        c({
          text: "Bob likes jazz",
          subject: "Bob",
          predicate: "likes",
          object: "jazz",
          evidence: ["t2"],
          confidence: 0.95,
          type: "preference",
        }),
        c({
          text: "Bob plays guitar",
          subject: "Bob",
          predicate: "plays",
          object: "guitar",
          evidence: ["t5"],
          confidence: 0.6,
          type: "fact",
        }),
      ],
      {
        counts: {
          turns: 5,
          prefiltered_turns: 0,
          extract_calls: 1,
          extracted: 3,
          json_failures: 0,
          deduped: 1,
          resolved_by_stage: { exact: 1, alias: 0, fuzzy: 0, fallback: 1 },
        },
        usage: { input_tokens: 80, output_tokens: 20 },
        latency_ms: 250,
      },
    ),
  };
  const records: RunLogRecord[] = [
    dryRunRecord("baseline", baseline.c1),
    dryRunRecord("candidate", candidate.c1),
    // c1's usefulness is logged twice for the candidate: the first record of a finished unit counts
    usefulnessRecord("candidate", "c1", [true, true, true]),
    dryRunRecord("baseline", baseline.c2),
    dryRunRecord("candidate", candidate.c2),
    dryRunRecord("baseline", baseline.c3),
    dryRunRecord("candidate", candidate.c3),
    coverageRecord("baseline", "c1", { g1: true, g2: true }),
    coverageRecord("baseline", "c2", { g3: true, g4: false, g5: false }),
    coverageRecord("baseline", "c3", { g6: false }),
    usefulnessRecord("baseline", "c1", [true, true]),
    usefulnessRecord("baseline", "c2", [true, false, true]),
    usefulnessRecord("baseline", "c3", [false]),
    coverageRecord("candidate", "c1", { g1: true, g2: true }),
    coverageRecord("candidate", "c2", { g3: false, g4: false, g5: false }),
    coverageRecord("candidate", "c3", { g6: true }),
    usefulnessRecord("candidate", "c1", [false, false, false]),
    usefulnessRecord("candidate", "c2", []),
    usefulnessRecord("candidate", "c3", [], "judge answer failed validation twice"),
    junkRecord("baseline", "c1", [{ index: 0, junk: false }]),
    junkRecord("baseline", "c2", [
      { index: 1, junk: false },
      { index: 2, junk: true, category: "chit_chat", text: "Alice has a child, Sam" },
    ]),
    junkRecord("baseline", "c3", [{ index: 0, junk: true, category: "over_broad", text: "Bob likes jazz" }]),
    junkRecord("candidate", "c1", [
      { index: 0, junk: false },
      { index: 2, junk: true, category: "about_assistant", text: "The assistant likes coffee" },
    ]),
    junkRecord("candidate", "c3", [
      { index: 0, junk: false },
      { index: 1, junk: false },
    ]),
    { kind: "run_end", finished_at: "2025-01-01T00:01:00.000Z", duration_ms: 60_000 },
  ];
  return { start, records };
}
