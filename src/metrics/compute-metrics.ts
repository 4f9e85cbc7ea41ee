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
import { FIELD_NAMES, MATCH_MODES } from "../schema/constants.js";
import { pairedBootstrap, pooledChange, relativeChange, type PairedCounts, type PairedInterval, type SideCounts } from "./bootstrap.js";
import { correctable, measuredFlipRate, noiseSpread, type RepeatCounts } from "./judge-noise.js";
import { computeCalibration, SCALING_METHOD, suggestScalingFactor } from "./calibration.js";
import { computeCompleteness } from "./completeness.js";
import { computeConfigMetrics, type JunkCounts } from "./config-metrics.js";
import { compareEntities, entitySummary } from "./entities.js";
import { compareFieldScores, scoreFieldCounts } from "./field-alignment.js";
import { computeFlags } from "./flags.js";
import { mcnemarExact } from "./mcnemar.js";
import { difference, round } from "./numbers.js";
import { COL, FLAG, JUNK, junkOffset, sideOffset } from "./conversation-table.js";
import { subjectExamples, type RunData, type SideTotals } from "./run-data.js";
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

type PairedMetric = "precision" | "recall" | "junk" | "extraction" | "entity_resolution";

/**
 * Per-conversation counts for the bootstrap, over the paired conversations in dataset order, counted
 * exactly as the point estimates count them: judge errors left out, junk over the conversations of
 * the junk sample. With a judge that calls a model (`modelJudged`), the verdicts it gave are marked
 * as the ones its noise can flip: every usefulness and junk verdict, the coverage verdicts not
 * settled by the cheap match.
 */
function pairedRows(run: RunData, paired: number[], metric: PairedMetric, modelJudged: boolean): PairedCounts[] {
  const { table } = run;
  const side = (slot: number, role: ConfigRole): SideCounts => {
    const at = sideOffset(role);
    const get = (column: number) => table.get(slot, column + at);
    if (metric === "precision") {
      const counts = { numerator: get(COL.useful), denominator: get(COL.judged) };
      return modelJudged ? { ...counts, noisy: { positive: counts.numerator, judged: counts.denominator } } : counts;
    }
    if (metric === "recall") {
      const counts = { numerator: get(COL.covered), denominator: get(COL.coverageJudged) };
      return modelJudged ? { ...counts, noisy: { positive: get(COL.modelCovered), judged: get(COL.modelCoverageJudged) } } : counts;
    }
    if (metric === "extraction") return { numerator: get(COL.candidates), denominator: table.get(slot, COL.turns) };
    if (metric === "entity_resolution") return { numerator: get(COL.fallback), denominator: get(COL.mentions) };
    const judged = table.junkState(slot, role) === JUNK.judged;
    const j = junkOffset(role);
    if (!judged) return { numerator: 0, denominator: 0 };
    const counts = { numerator: table.get(slot, COL.junk + j), denominator: table.get(slot, COL.junkJudged + j) };
    return modelJudged ? { ...counts, noisy: { positive: counts.numerator, judged: counts.denominator } } : counts;
  };
  const rows = paired.map((slot) => ({ baseline: side(slot, "baseline"), candidate: side(slot, "candidate") }));
  // Junk is measured on the sampled conversations only: the others carry no junk judgement.
  return metric === "junk" ? rows.filter((r) => r.baseline.denominator + r.candidate.denominator > 0) : rows;
}

/** The repeat agreement of the judge's verdicts that feed a metric, when the repeats compared any. */
function flipsFor(run: RunData, metric: PairedMetric): RepeatCounts | undefined {
  const task = metric === "precision" ? "usefulness" : metric === "recall" ? "coverage" : metric === "junk" ? "junk" : undefined;
  const counts = task ? run.noise?.[task] : undefined;
  return counts && counts.compared > 0 ? counts : undefined;
}

/** A level and a change corrected for the judge's flip rate, from the pooled rows; null where the flip rate leaves nothing to correct. */
function correctedPoint(rows: PairedCounts[], flipRate: number): { baseline: number | null; candidate: number | null; delta: number | null; spread: number | null } {
  if (!correctable(flipRate)) return { baseline: null, candidate: null, delta: null, spread: null };
  const pooled = pooledChange(rows, flipRate);
  const { baseline: a, candidate: b } = pooled.sides;
  return {
    baseline: pooled.baseline,
    candidate: pooled.candidate,
    delta: pooled.delta,
    spread: noiseSpread(flipRate, { baseline: a.judged, candidate: b.judged }, { baseline: a.denominator, candidate: b.denominator }),
  };
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

/**
 * Why entity resolution cannot be read, or undefined when it can: with no mention resolved to a known
 * entity on either side, every mention reached the fallback stage whatever the extractor did (the
 * dataset lists no known entity the mentions could match), and the fail rate says nothing.
 */
function entityResolutionUnmeasured(a: SideTotals, b: SideTotals): string | undefined {
  if (a.mentions === 0 && b.mentions === 0) return "no entity mention on either side";
  if (a.mentions === a.fallback && b.mentions === b.fallback) {
    return "no mention on either side resolved to a known entity: the dataset lists none the mentions match (a conversation's `entities`), so every mention falls back and the fail rate measures nothing";
  }
  return undefined;
}

/** Fields no golden memory states cannot be scored: their scores become null, with the reason. */
function withUnmeasuredFields(fields: FieldAlignment, stated: SideTotals["fields"]["stated"]): FieldAlignment {
  const unmeasured = FIELD_NAMES.filter((field) => stated[field] === 0);
  if (unmeasured.length === 0) return fields;
  const clear = (side: FieldAlignment["baseline"]) => {
    for (const field of unmeasured) for (const mode of MATCH_MODES) side.fields[field][mode] = { ...side.fields[field][mode], precision: null, recall: null, f1: null };
  };
  clear(fields.baseline);
  clear(fields.candidate);
  for (const field of unmeasured) for (const mode of MATCH_MODES) fields.delta[field][mode] = null;
  const reason = stated.subject + stated.predicate + stated.object + stated.type === 0 ? "the golden memories carry text only, no fields" : "no golden memory states it";
  return { ...fields, not_measured: unmeasured.map((field) => ({ field, reason })) };
}

/** Slots of the paired conversations, in dataset order. */
export function pairedSlots(run: RunData): number[] {
  return run.table.inDatasetOrder().filter((slot) => run.table.flag(slot, FLAG.paired));
}

const MAX_SUBJECT_EXAMPLES = 5;

export function sortedChanges(changes: Map<string, { from: string; to: string; count: number }>): Array<{ from: string; to: string; count: number }> {
  return [...changes.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** Every metric of the report, from the run log alone. Pure. */
export function computeMetrics(run: RunData, thresholds: Thresholds): MetricsSection {
  const { bench } = run.start;
  const pairedRowsList = pairedSlots(run);

  const modelJudged = run.start.judge.kind === "llm";
  const rowsOf = (metric: PairedMetric) => pairedRows(run, pairedRowsList, metric, modelJudged);
  const bootstrap = (metric: PairedMetric) =>
    pairedBootstrap(rowsOf(metric), bench.bootstrap_resamples, bench.seed, metric, metric === "extraction" ? relativeChange : undefined, flipsFor(run, metric));
  const intervals = {
    precision: bootstrap("precision"),
    recall: bootstrap("recall"),
    junk: bootstrap("junk"),
    extraction: bootstrap("extraction"),
    entity_resolution: bootstrap("entity_resolution"),
  };
  /** Levels and changes corrected for the judge's flip rate, for the metrics its repeats measured. */
  const corrections = Object.fromEntries(
    (["precision", "recall", "junk"] as const).flatMap((metric) => {
      const flips = flipsFor(run, metric);
      return flips ? [[metric, { flipRate: measuredFlipRate(flips)!, point: correctedPoint(rowsOf(metric), measuredFlipRate(flips)!), interval: intervals[metric].corrected! }]] : [];
    }),
  ) as Partial<Record<"precision" | "recall" | "junk", { flipRate: number; point: ReturnType<typeof correctedPoint>; interval: PairedInterval }>>;
  const correctedLevel = (metric: "precision" | "recall" | "junk", role: ConfigRole) => {
    const c = corrections[metric];
    return c ? { corrected: { value: round(c.point[role]), ci: c.point[role] === null ? null : roundInterval(c.interval[role]) } } : {};
  };
  const correctedChange = (metric: "precision" | "recall" | "junk") => {
    const c = corrections[metric];
    if (!c) return {};
    const measured = c.point.delta !== null;
    return {
      corrected: {
        value: round(c.point.delta),
        ci: measured ? roundInterval(c.interval.delta) : null,
        se: measured ? round(c.interval.se) : null,
        noise_spread: round(c.point.spread),
      },
    };
  };

  const raw = (role: ConfigRole) => computeConfigMetrics(run.sides[role], junkCounts(run, pairedRowsList, role), bench.top_k_predicates, bench.confidence_buckets);
  const rawBaseline = raw("baseline");
  const rawCandidate = raw("candidate");
  const perRole = (role: ConfigRole): ConfigMetrics => {
    const m = role === "baseline" ? rawBaseline : rawCandidate;
    return {
      ...m,
      precision: { ...m.precision, value: round(m.precision.value), ci: roundInterval(intervals.precision[role]), ...correctedLevel("precision", role) },
      recall: { ...m.recall, value: round(m.recall.value), ci: roundInterval(intervals.recall[role]), ...correctedLevel("recall", role) },
      extraction: { per_turn: round(m.extraction.per_turn), per_conversation: round(m.extraction.per_conversation), ci: roundInterval(intervals.extraction[role]) },
      junk: { ...m.junk, rate: round(m.junk.rate), ci: roundInterval(intervals.junk[role]), ...correctedLevel("junk", role) },
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
  const entitiesUnmeasured = entityResolutionUnmeasured(sideA, sideB);
  entities.baseline.fail_rate = entitiesUnmeasured ? null : round(entities.baseline.fail_rate);
  entities.candidate.fail_rate = entitiesUnmeasured ? null : round(entities.candidate.fail_rate);
  entities.fail_rate_delta = entitiesUnmeasured ? null : round(entities.fail_rate_delta);
  if (entitiesUnmeasured) entities.not_measured = entitiesUnmeasured;

  // Deltas come from the unrounded values: rounding each side first shifts a relative change by up to
  // a few hundredths of a percent (5/9 vs 6/15 extractions per turn is +38.89%, not +38.9%).
  const change = (pick: (m: ReturnType<typeof raw>) => number | null) => round(difference(pick(rawCandidate), pick(rawBaseline)));
  const delta: Deltas = {
    precision: { value: change((m) => m.precision.value), ci: roundInterval(intervals.precision.delta), se: round(intervals.precision.se), ...correctedChange("precision") },
    recall: { value: change((m) => m.recall.value), ci: roundInterval(intervals.recall.delta), se: round(intervals.recall.se), ...correctedChange("recall") },
    extraction_per_turn: {
      value: round(relativeChangeOf(rawBaseline.extraction.per_turn, rawCandidate.extraction.per_turn)),
      ci: roundInterval(intervals.extraction.delta),
      se: round(intervals.extraction.se),
    },
    junk: { value: change((m) => m.junk.rate), ci: roundInterval(intervals.junk.delta), se: round(intervals.junk.se), ...correctedChange("junk") },
    confidence_high_share: change((m) => m.confidence.high_share),
    confidence_mean: change((m) => m.confidence.mean),
    json_fail_rate: change((m) => m.operating.json_fail_rate),
    dedup_collapse_rate: change((m) => m.operating.dedup_collapse_rate),
    entity_resolution_fail_rate: entities.fail_rate_delta,
    entity_resolution: {
      value: entities.fail_rate_delta,
      ci: entitiesUnmeasured ? null : roundInterval(intervals.entity_resolution.delta),
      se: entitiesUnmeasured ? null : round(intervals.entity_resolution.se),
    },
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
    by_evidence: totals.byEvidence,
    by_subject_object: totals.bySubjectObject,
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
    against: modelJudged ? "llm_judge" : "heuristic_judge",
  };

  const fields = withUnmeasuredFields(compareFieldScores(scoreFieldCounts(sideA.fields, sideA.candidates), scoreFieldCounts(sideB.fields, sideB.candidates)), sideA.fields.stated);

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
