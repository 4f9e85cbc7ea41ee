import type { Thresholds } from "../schema/bench-config.js";
import type {
  Calibration,
  Completeness,
  ConfigMetrics,
  ConversationResult,
  Deltas,
  Entities,
  FieldAlignment,
  Flag,
  JunkExample,
  McNemar,
  MissedMemory,
  Pairing,
  RunErrorEntry,
  TypeChange,
  Vocabulary,
} from "../schema/report.js";
import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import { pairedBootstrap, relativeChange, type PairedCounts } from "./bootstrap.js";
import { computeCalibration, SCALING_METHOD, suggestScalingFactor } from "./calibration.js";
import { computeCompleteness } from "./completeness.js";
import { computeConfigMetrics, type JunkCounts } from "./config-metrics.js";
import { compareEntities, entitySummary } from "./entities.js";
import { compareFieldScores, scoreFieldCounts } from "./field-alignment.js";
import { computeFlags } from "./flags.js";
import { mcnemarExact } from "./mcnemar.js";
import { difference, round } from "./numbers.js";
import { COL, FLAG, JUNK, junkOffset, sideOffset } from "./conversation-table.js";
import { subjectExamples, type RunData } from "./run-data.js";
import { compareTypes, describeTypeMoves } from "./types.js";
import { compareVocabularies } from "./vocabulary.js";

export interface MetricsSection {
  completeness: Completeness;
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics; delta: Deltas };
  mcnemar: McNemar;
  calibration: Calibration;
  fields: FieldAlignment;
  entities: Entities;
  vocabulary: Vocabulary;
  types: TypeChange;
  pairing: Pairing;
  flags: Flag[];
  conversations: ConversationResult[];
  conversation_counts: { total: number; changed: number; failed: number };
  missed: MissedMemory[];
  junk_examples: JunkExample[];
  errors: RunErrorEntry[];
}

function roundInterval(interval: [number, number] | null): [number, number] | null {
  return interval ? [round(interval[0])!, round(interval[1])!] : null;
}

/** Relative change as a fraction; from a baseline of 0 it is 0 when nothing changed and undefined (null) otherwise. */
function relativeChangeOf(baseline: number | null, candidate: number | null): number | null {
  if (baseline === null || candidate === null) return null;
  if (baseline === 0) return candidate === 0 ? 0 : null;
  return relativeChange(baseline, candidate);
}

type PairedMetric = "precision" | "recall" | "junk" | "extraction";

/**
 * Per-conversation counts for the bootstrap, over the paired conversations in dataset order, counted
 * exactly as the point estimates count them: judge errors left out, junk over the conversations of
 * the junk sample.
 */
function pairedRows(run: RunData, paired: number[], metric: PairedMetric): PairedCounts[] {
  const { table } = run;
  const side = (slot: number, role: ConfigRole) => {
    const at = sideOffset(role);
    if (metric === "precision") return { numerator: table.get(slot, COL.useful + at), denominator: table.get(slot, COL.judged + at) };
    if (metric === "recall") return { numerator: table.get(slot, COL.covered + at), denominator: table.get(slot, COL.coverageJudged + at) };
    if (metric === "extraction") return { numerator: table.get(slot, COL.candidates + at), denominator: table.get(slot, COL.turns) };
    const judged = table.junkState(slot, role) === JUNK.judged;
    const j = junkOffset(role);
    return judged ? { numerator: table.get(slot, COL.junk + j), denominator: table.get(slot, COL.junkJudged + j) } : { numerator: 0, denominator: 0 };
  };
  const rows = paired.map((slot) => ({ baseline: side(slot, "baseline"), candidate: side(slot, "candidate") }));
  // Junk is measured on the sampled conversations only: the others carry no junk judgement.
  return metric === "junk" ? rows.filter((r) => r.baseline.denominator + r.candidate.denominator > 0) : rows;
}

/** Junk judgements of one config over the paired conversations. */
export function junkCounts(run: RunData, paired: number[], role: ConfigRole): JunkCounts {
  const { table } = run;
  const counts: JunkCounts = { junk: 0, judged: 0, conversations: 0, categories: {} };
  const j = junkOffset(role);
  for (const slot of paired) {
    if (table.junkState(slot, role) !== JUNK.judged) continue;
    counts.conversations++;
    counts.junk += table.get(slot, COL.junk + j);
    counts.judged += table.get(slot, COL.junkJudged + j);
    for (const [category, n] of Object.entries(run.junkCategories.get(`${role}\u0000${table.id(slot)}`) ?? {})) {
      counts.categories[category] = (counts.categories[category] ?? 0) + n;
    }
  }
  return counts;
}

/** Slots of the paired conversations, in dataset order. */
export function pairedSlots(run: RunData): number[] {
  return run.table.inDatasetOrder().filter((slot) => run.table.flag(slot, FLAG.paired));
}

const MAX_SUBJECT_EXAMPLES = 5;

function sortedChanges(changes: Map<string, { from: string; to: string; count: number }>): Array<{ from: string; to: string; count: number }> {
  return [...changes.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** Every metric of the report, from the run log alone. Pure. */
export function computeMetrics(run: RunData, thresholds: Thresholds): MetricsSection {
  const { bench } = run.start;
  const pairedRowsList = pairedSlots(run);

  const bootstrap = (metric: PairedMetric) =>
    pairedBootstrap(pairedRows(run, pairedRowsList, metric), bench.bootstrap_resamples, bench.seed, metric, metric === "extraction" ? relativeChange : undefined);
  const intervals = { precision: bootstrap("precision"), recall: bootstrap("recall"), junk: bootstrap("junk"), extraction: bootstrap("extraction") };

  const raw = (role: ConfigRole) => computeConfigMetrics(run.sides[role], junkCounts(run, pairedRowsList, role), bench.top_k_predicates, bench.confidence_buckets);
  const rawBaseline = raw("baseline");
  const rawCandidate = raw("candidate");
  const perRole = (role: ConfigRole): ConfigMetrics => {
    const m = role === "baseline" ? rawBaseline : rawCandidate;
    return {
      ...m,
      precision: { ...m.precision, value: round(m.precision.value), ci: roundInterval(intervals.precision[role]) },
      recall: { ...m.recall, value: round(m.recall.value), ci: roundInterval(intervals.recall[role]) },
      extraction: { per_turn: round(m.extraction.per_turn), per_conversation: round(m.extraction.per_conversation), ci: roundInterval(intervals.extraction[role]) },
      junk: { ...m.junk, rate: round(m.junk.rate), ci: roundInterval(intervals.junk[role]) },
      confidence: {
        histogram: m.confidence.histogram.map((b) => ({ ...b, share: round(b.share) })),
        mean: round(m.confidence.mean),
        median: round(m.confidence.median),
        high_share: round(m.confidence.high_share),
      },
      operating: {
        ...m.operating,
        json_fail_rate: round(m.operating.json_fail_rate),
        dedup_collapse_rate: round(m.operating.dedup_collapse_rate),
        entity_resolution_fail_rate: round(m.operating.entity_resolution_fail_rate),
        latency_p50_ms: round(m.operating.latency_p50_ms, 2),
        latency_p95_ms: round(m.operating.latency_p95_ms, 2),
      },
    };
  };
  const baseline = perRole("baseline");
  const candidate = perRole("candidate");

  const { baseline: sideA, candidate: sideB } = run.sides;
  const entities = compareEntities(entitySummary(sideA.mentions, sideA.fallback, sideA.unresolved), entitySummary(sideB.mentions, sideB.fallback, sideB.unresolved));
  entities.baseline.fail_rate = round(entities.baseline.fail_rate);
  entities.candidate.fail_rate = round(entities.candidate.fail_rate);
  entities.fail_rate_delta = round(entities.fail_rate_delta);

  // Deltas come from the unrounded values: rounding each side first shifts a relative change by up to
  // a few hundredths of a percent (5/9 vs 6/15 extractions per turn is +38.89%, not +38.9%).
  const change = (pick: (m: ReturnType<typeof raw>) => number | null) => round(difference(pick(rawCandidate), pick(rawBaseline)));
  const delta: Deltas = {
    precision: { value: change((m) => m.precision.value), ci: roundInterval(intervals.precision.delta) },
    recall: { value: change((m) => m.recall.value), ci: roundInterval(intervals.recall.delta) },
    extraction_per_turn: {
      value: round(relativeChangeOf(rawBaseline.extraction.per_turn, rawCandidate.extraction.per_turn)),
      ci: roundInterval(intervals.extraction.delta),
    },
    junk: { value: change((m) => m.junk.rate), ci: roundInterval(intervals.junk.delta) },
    confidence_high_share: change((m) => m.confidence.high_share),
    confidence_mean: change((m) => m.confidence.mean),
    json_fail_rate: change((m) => m.operating.json_fail_rate),
    dedup_collapse_rate: change((m) => m.operating.dedup_collapse_rate),
    entity_resolution_fail_rate: entities.fail_rate_delta,
  };

  const totals = run.pairs;
  const vocabulary = compareVocabularies(
    { counts: sideA.predicates, facts: sideA.facts },
    { counts: sideB.predicates, facts: sideB.facts },
    bench.top_k_predicates,
    sortedChanges(totals.predicateChanges),
  );
  vocabulary.jaccard = round(vocabulary.jaccard);
  const types = compareTypes(sideA.types, sideB.types, sortedChanges(totals.typeChanges), describeTypeMoves(totals.typeMoves));
  const pairing: Pairing = {
    pairs: totals.pairs,
    predicate_changed: totals.predicateChanged,
    type_changed: totals.typeChanged,
    subject_text_changed: totals.subjectTextChanged,
    subject_entity_changed: totals.subjectEntityChanged,
    subject_examples: subjectExamples(totals.subjectExamples).slice(0, MAX_SUBJECT_EXAMPLES).map(({ from, to }) => ({ from, to })),
  };
  const metrics = { baseline, candidate, delta };

  const calibrationOf = (role: ConfigRole) => {
    const c = computeCalibration(run.sides[role].calibration);
    return { ...c, ece: round(c.ece), brier: round(c.brier) };
  };
  const factor = suggestScalingFactor(sideA.confidence, sideB.confidence, bench.confidence_buckets);
  const calibration: Calibration = {
    baseline: calibrationOf("baseline"),
    candidate: calibrationOf("candidate"),
    scaling: factor === undefined ? null : { factor, method: SCALING_METHOD },
  };

  const fields = compareFieldScores(scoreFieldCounts(sideA.fields, sideA.candidates), scoreFieldCounts(sideB.fields, sideB.candidates));

  return {
    completeness: computeCompleteness(run, pairedRowsList.length),
    metrics,
    mcnemar: mcnemarExact(totals.baselineOnly, totals.candidateOnly),
    calibration,
    fields,
    entities,
    vocabulary,
    types,
    pairing,
    flags: computeFlags(metrics, vocabulary, thresholds),
    conversations: run.conversations,
    conversation_counts: run.conversationCounts,
    missed: run.missed,
    junk_examples: run.junkExamples,
    errors: run.errors,
  };
}
