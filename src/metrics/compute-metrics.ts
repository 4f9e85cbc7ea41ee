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
import type { ConfigRole } from "../schema/run-log.js";
import { computeCalibration, SCALING_METHOD, suggestScalingFactor } from "./calibration.js";
import { computeCompleteness } from "./completeness.js";
import { computeConfigMetrics } from "./config-metrics.js";
import { computeDeltas } from "./deltas.js";
import { measureEntities } from "./entity-metrics.js";
import { measureFields } from "./field-metrics.js";
import { computeFlags } from "./flags.js";
import { junkCounts, pairedSlots } from "./junk-counts.js";
import { mcnemarExact } from "./mcnemar.js";
import { round } from "./numbers.js";
import { pairedEstimates, roundInterval } from "./paired-intervals.js";
import { subjectExamples, type RunData } from "./run-data.js";
import { compareTypes, describeTypeMoves } from "./types.js";
import { compareVocabularies } from "./vocabulary.js";

export { junkCounts, pairedSlots } from "./junk-counts.js";

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

const MAX_SUBJECT_EXAMPLES = 5;

export function sortedChanges(
  changes: Map<string, { from: string; to: string; count: number }>,
): Array<{ from: string; to: string; count: number }> {
  return [...changes.values()].sort(
    (a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
}

/** Every metric of the report, from the run log alone. Pure. */
export function computeMetrics(run: RunData, thresholds: Thresholds): MetricsSection {
  const { bench } = run.start;
  const pairedRowsList = pairedSlots(run);
  const modelJudged = run.start.judge.kind === "llm";
  const estimates = pairedEstimates(run, pairedRowsList);
  const { intervals, correctedLevel } = estimates;

  const raw = (role: ConfigRole) =>
    computeConfigMetrics(
      run.sides[role],
      junkCounts(run, pairedRowsList, role),
      bench.top_k_predicates,
      bench.confidence_buckets,
    );
  const rawBaseline = raw("baseline");
  const rawCandidate = raw("candidate");
  const perRole = (role: ConfigRole): ConfigMetrics => {
    const m = role === "baseline" ? rawBaseline : rawCandidate;
    return {
      ...m,
      precision: {
        ...m.precision,
        value: round(m.precision.value),
        ci: roundInterval(intervals.precision[role]),
        ...correctedLevel("precision", role),
      },
      recall: {
        ...m.recall,
        value: round(m.recall.value),
        ci: roundInterval(intervals.recall[role]),
        ...correctedLevel("recall", role),
      },
      extraction: {
        per_turn: round(m.extraction.per_turn),
        per_conversation: round(m.extraction.per_conversation),
        ci: roundInterval(intervals.extraction[role]),
      },
      useful_per_conversation: round(m.useful_per_conversation ?? null),
      junk: {
        ...m.junk,
        rate: round(m.junk.rate),
        ci: roundInterval(intervals.junk[role]),
        ...correctedLevel("junk", role),
      },
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
  const entities = measureEntities(sideA, sideB);
  const delta = computeDeltas(rawBaseline, rawCandidate, estimates, entities);

  const totals = run.pairs;
  const vocabulary = compareVocabularies(
    { counts: sideA.predicates, facts: sideA.facts },
    { counts: sideB.predicates, facts: sideB.facts },
    bench.top_k_predicates,
    sortedChanges(totals.predicateChanges),
  );
  vocabulary.jaccard = round(vocabulary.jaccard);
  const types = compareTypes(
    sideA.types,
    sideB.types,
    sortedChanges(totals.typeChanges),
    describeTypeMoves(totals.typeMoves),
  );
  const pairing: Pairing = {
    pairs: totals.pairs,
    by_evidence: totals.byEvidence,
    by_subject_object: totals.bySubjectObject,
    predicate_changed: totals.predicateChanged,
    type_changed: totals.typeChanged,
    subject_text_changed: totals.subjectTextChanged,
    subject_entity_changed: totals.subjectEntityChanged,
    subject_examples: subjectExamples(totals.subjectExamples)
      .slice(0, MAX_SUBJECT_EXAMPLES)
      .map(({ from, to }) => ({ from, to })),
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
    against: modelJudged ? "llm_judge" : "heuristic_judge",
  };

  const fields = measureFields(sideA, sideB);

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
