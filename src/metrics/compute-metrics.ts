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
import type { GoldenMemory } from "../schema/golden.js";
import { pairedBootstrap, relativeChange, type PairedCounts } from "./bootstrap.js";
import { computeCalibration, SCALING_METHOD, suggestScalingFactor, type ConfidencePoint } from "./calibration.js";
import { computeCompleteness, pairedConversations } from "./completeness.js";
import { allCandidates, computeConfigMetrics } from "./config-metrics.js";
import { compareEntities, summarizeEntities } from "./entities.js";
import { alignToGolden, compareFieldScores, scoreFields, type AlignedPair } from "./field-alignment.js";
import { computeFlags } from "./flags.js";
import { mcnemarExact } from "./mcnemar.js";
import { difference, groupBy, round } from "./numbers.js";
import { changeCounts, pairCandidates, summarizePairs, type CandidatePair } from "./pairing.js";
import type { RunData } from "./run-data.js";
import { compareTypes, typeMovesByType } from "./types.js";
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
 * Per-conversation counts for the bootstrap, over the paired conversations, counted exactly as the
 * point estimates count them: judge errors left out, junk over the conversations of the junk sample.
 */
function pairedRows(run: RunData, ids: string[], metric: PairedMetric, turns: Map<string, number>): PairedCounts[] {
  const counts = (role: ConfigRole, id: string) => {
    const data = run.roles[role];
    if (metric === "extraction") return { numerator: data.dryRuns.get(id)?.candidates.length ?? 0, denominator: turns.get(id) ?? 0 };
    const judgement = metric === "precision" ? data.usefulness.get(id) : metric === "recall" ? data.coverage.get(id) : data.junk.get(id);
    const items: Array<{ useful?: boolean; covered?: boolean; junk?: boolean }> = judgement && !judgement.error ? judgement.items : [];
    const hits = items.filter((v) => (metric === "precision" ? v.useful : metric === "recall" ? v.covered : v.junk)).length;
    return { numerator: hits, denominator: items.length };
  };
  const rows = ids.map((id) => ({ baseline: counts("baseline", id), candidate: counts("candidate", id) }));
  // Junk is measured on the sampled conversations only: the others carry no junk judgement.
  return metric === "junk" ? rows.filter((r) => r.baseline.denominator + r.candidate.denominator > 0 || ids.length === 0) : rows;
}

/** Golden memories covered by one config only, over the paired conversations: McNemar's discordant pairs. */
function discordantCoverage(run: RunData, ids: string[]): McNemar {
  let baselineOnly = 0;
  let candidateOnly = 0;
  for (const id of ids) {
    const a = run.roles.baseline.coverage.get(id);
    const b = run.roles.candidate.coverage.get(id);
    if (!a || !b || a.error || b.error) continue;
    const coveredByB = new Map(b.items.map((v) => [v.golden_id, v.covered]));
    for (const verdict of a.items) {
      const other = coveredByB.get(verdict.golden_id);
      if (other === undefined) continue;
      if (verdict.covered && !other) baselineOnly++;
      if (!verdict.covered && other) candidateOnly++;
    }
  }
  return mcnemarExact(baselineOnly, candidateOnly);
}

/** (confidence, useful) of every judged candidate of a config over the given conversations. */
function confidencePoints(run: RunData, role: ConfigRole, ids: string[]): ConfidencePoint[] {
  const points: ConfidencePoint[] = [];
  for (const id of ids) {
    const judgement = run.roles[role].usefulness.get(id);
    const candidates = run.roles[role].dryRuns.get(id)?.candidates ?? [];
    if (!judgement || judgement.error) continue;
    for (const verdict of judgement.items) {
      const candidate = candidates[verdict.candidate_index];
      if (candidate) points.push({ confidence: candidate.confidence, useful: verdict.useful });
    }
  }
  return points;
}

/** Field-level alignment of one config against the golden set, over the given conversations. */
function alignedPairs(run: RunData, role: ConfigRole, ids: string[], golden: Map<string, GoldenMemory[]>): AlignedPair[] {
  // The run log keeps no turns: the pair's own subjects are what is left out of the comparison.
  const noSpeakers: ReadonlySet<string> = new Set();
  return ids.flatMap((id) => {
    const coverage = run.roles[role].coverage.get(id);
    return alignToGolden(
      noSpeakers,
      golden.get(id) ?? [],
      run.roles[role].dryRuns.get(id)?.candidates ?? [],
      coverage && !coverage.error ? coverage.items : [],
    );
  });
}

function conversationResults(run: RunData, ids: string[], goldenCount: Map<string, number>, turns: Map<string, number>): ConversationResult[] {
  const side = (role: ConfigRole, id: string): ConversationResult["baseline"] => {
    const data = run.roles[role];
    const result = data.dryRuns.get(id);
    const out: ConversationResult["baseline"] = {
      candidates: result?.candidates.length ?? 0,
      covered: data.coverage.get(id)?.items.filter((v) => v.covered).length ?? 0,
      useful: data.usefulness.get(id)?.items.filter((v) => v.useful).length ?? 0,
    };
    if (result?.error) out.error = `${result.error.kind}: ${result.error.message}`;
    if (result?.error && result.stderr) out.stderr = result.stderr;
    return out;
  };
  return ids.map((id) => ({
    conversation_id: id,
    turns: turns.get(id) ?? 0,
    golden: goldenCount.get(id) ?? 0,
    baseline: side("baseline", id),
    candidate: side("candidate", id),
  }));
}

function missedMemories(run: RunData, ids: string[]): MissedMemory[] {
  const goldenText = new Map(run.start.golden.memories.map((m) => [m.id, m.text]));
  const missed: MissedMemory[] = [];
  for (const role of CONFIG_ROLES) {
    const other = role === "baseline" ? "candidate" : "baseline";
    for (const id of ids) {
      const coverage = run.roles[role].coverage.get(id);
      if (!coverage || coverage.error) continue;
      const otherCovered = new Set(run.roles[other].coverage.get(id)?.items.filter((v) => v.covered).map((v) => v.golden_id));
      for (const verdict of coverage.items) {
        if (verdict.covered) continue;
        missed.push({
          role,
          conversation_id: id,
          golden_id: verdict.golden_id,
          text: goldenText.get(verdict.golden_id) ?? "",
          covered_by_other: otherCovered.has(verdict.golden_id),
          evidence: coverage.missed_evidence[verdict.golden_id] ?? [],
        });
      }
    }
  }
  return missed;
}

function junkExamples(run: RunData, ids: string[]): JunkExample[] {
  const examples: JunkExample[] = [];
  for (const role of CONFIG_ROLES) {
    for (const id of ids) {
      const judgement = run.roles[role].junk.get(id);
      const candidates = run.roles[role].dryRuns.get(id)?.candidates ?? [];
      for (const verdict of judgement?.items ?? []) {
        if (!verdict.junk) continue;
        examples.push({
          role,
          conversation_id: id,
          candidate_index: verdict.candidate_index,
          text: candidates[verdict.candidate_index]?.text ?? "",
          category: verdict.category,
          reason: verdict.reason,
        });
      }
    }
  }
  return examples;
}

function runErrors(run: RunData, ids: string[]): RunErrorEntry[] {
  const errors: RunErrorEntry[] = [];
  for (const role of CONFIG_ROLES) {
    const data = run.roles[role];
    for (const id of ids) {
      const error = data.dryRuns.get(id)?.error;
      if (error) errors.push({ role, conversation_id: id, stage: "dry_run", kind: error.kind, message: error.message });
      for (const judgement of [data.coverage.get(id), data.usefulness.get(id), data.junk.get(id)]) {
        if (judgement?.error) errors.push({ role, conversation_id: id, stage: "judge", kind: judgement.task, message: judgement.error });
      }
    }
  }
  return errors;
}

/** Every metric of the report, from the run log alone. Pure. */
export function computeMetrics(run: RunData, thresholds: Thresholds): MetricsSection {
  const { bench } = run.start;
  const ids = run.start.dataset.conversations.map((c) => c.id);
  const paired = pairedConversations(run);
  const turns = new Map(run.start.dataset.conversations.map((c) => [c.id, c.turns]));
  const golden = groupBy(run.start.golden.memories, (m) => m.conversation_id);
  const goldenCount = new Map([...golden].map(([id, memories]) => [id, memories.length]));

  const bootstrap = (metric: PairedMetric) =>
    pairedBootstrap(pairedRows(run, paired, metric, turns), bench.bootstrap_resamples, bench.seed, metric, metric === "extraction" ? relativeChange : undefined);
  const intervals = { precision: bootstrap("precision"), recall: bootstrap("recall"), junk: bootstrap("junk"), extraction: bootstrap("extraction") };

  const raw = (role: ConfigRole) =>
    computeConfigMetrics({ pairedIds: paired, turnsByConversation: turns, data: run.roles[role], topK: bench.top_k_predicates, buckets: bench.confidence_buckets });
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

  const baselineCandidates = allCandidates(paired, run.roles.baseline);
  const candidateCandidates = allCandidates(paired, run.roles.candidate);
  const entities = compareEntities(
    summarizeEntities(paired.flatMap((id) => run.roles.baseline.dryRuns.get(id) ?? []), baselineCandidates),
    summarizeEntities(paired.flatMap((id) => run.roles.candidate.dryRuns.get(id) ?? []), candidateCandidates),
  );
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

  const pairs: CandidatePair[] = paired.flatMap((id) =>
    pairCandidates(run.roles.baseline.dryRuns.get(id)?.candidates ?? [], run.roles.candidate.dryRuns.get(id)?.candidates ?? []),
  );
  const vocabulary = compareVocabularies(baselineCandidates, candidateCandidates, bench.top_k_predicates, changeCounts(pairs, "predicate"));
  vocabulary.jaccard = round(vocabulary.jaccard);
  const types = compareTypes(baselineCandidates, candidateCandidates, changeCounts(pairs, "type"), typeMovesByType(pairs));
  const pairing = summarizePairs(pairs);
  const metrics = { baseline, candidate, delta };

  const calibrationOf = (role: ConfigRole) => {
    const c = computeCalibration(confidencePoints(run, role, paired));
    return { ...c, ece: round(c.ece), brier: round(c.brier) };
  };
  const factor = suggestScalingFactor(baselineCandidates.map((c) => c.confidence), candidateCandidates.map((c) => c.confidence), bench.confidence_buckets);
  const calibration: Calibration = {
    baseline: calibrationOf("baseline"),
    candidate: calibrationOf("candidate"),
    scaling: factor === undefined ? null : { factor, method: SCALING_METHOD },
  };

  const pairedGolden = paired.flatMap((id) => golden.get(id) ?? []);
  const fieldsOf = (role: ConfigRole, candidates: number) => scoreFields(alignedPairs(run, role, paired, golden), candidates, pairedGolden);
  const fields = compareFieldScores(fieldsOf("baseline", baselineCandidates.length), fieldsOf("candidate", candidateCandidates.length));

  return {
    completeness: computeCompleteness(run, paired),
    metrics,
    mcnemar: discordantCoverage(run, paired),
    calibration,
    fields,
    entities,
    vocabulary,
    types,
    pairing,
    flags: computeFlags(metrics, vocabulary, thresholds),
    conversations: conversationResults(run, ids, goldenCount, turns),
    missed: missedMemories(run, ids),
    junk_examples: junkExamples(run, ids),
    errors: runErrors(run, ids),
  };
}
