import type { Thresholds } from "../schema/bench-config.js";
import type {
  ConfigMetrics,
  ConversationResult,
  Deltas,
  Flag,
  JunkExample,
  MissedMemory,
  Pairing,
  RunErrorEntry,
  TypeChange,
  Vocabulary,
} from "../schema/report.js";
import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import { pairedBootstrap, type PairedCounts } from "./bootstrap.js";
import { allCandidates, computeConfigMetrics } from "./config-metrics.js";
import { computeFlags } from "./flags.js";
import { difference, round } from "./numbers.js";
import { changeCounts, pairCandidates, summarizePairs, type CandidatePair } from "./pairing.js";
import type { RunData } from "./run-data.js";
import { compareTypes } from "./types.js";
import { compareVocabularies } from "./vocabulary.js";

export interface MetricsSection {
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics; delta: Deltas };
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

/** Relative change in percent; from a baseline of 0 it is 0 when nothing changed and undefined (null) otherwise. */
function relativeChangePct(baseline: number | null, candidate: number | null): number | null {
  if (baseline === null || candidate === null) return null;
  if (baseline === 0) return candidate === 0 ? 0 : null;
  return round(((candidate - baseline) / baseline) * 100, 2);
}

/**
 * Per-conversation counts for the bootstrap, counted exactly as the point estimates count them:
 * judge errors left out, and golden memories of a conversation never judged counted as missed.
 */
function pairedRows(run: RunData, ids: string[], metric: "precision" | "recall", goldenCount: Map<string, number>): PairedCounts[] {
  const counts = (role: ConfigRole, id: string) => {
    if (metric === "precision") {
      const judgement = run.roles[role].usefulness.get(id);
      const items = judgement && !judgement.error ? judgement.items : [];
      return { numerator: items.filter((v) => v.useful).length, denominator: items.length };
    }
    const judgement = run.roles[role].coverage.get(id);
    if (!judgement) return { numerator: 0, denominator: goldenCount.get(id) ?? 0 };
    const items = judgement.error ? [] : judgement.items;
    return { numerator: items.filter((v) => v.covered).length, denominator: items.length };
  };
  return ids.map((id) => ({ baseline: counts("baseline", id), candidate: counts("candidate", id) }));
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
  const turns = new Map(run.start.dataset.conversations.map((c) => [c.id, c.turns]));
  const goldenCount = new Map<string, number>();
  for (const memory of run.start.golden.memories) goldenCount.set(memory.conversation_id, (goldenCount.get(memory.conversation_id) ?? 0) + 1);

  const precisionCi = pairedBootstrap(pairedRows(run, ids, "precision", goldenCount), bench.bootstrap_resamples, bench.seed, "precision");
  const recallCi = pairedBootstrap(pairedRows(run, ids, "recall", goldenCount), bench.bootstrap_resamples, bench.seed, "recall");

  const raw = (role: ConfigRole) =>
    computeConfigMetrics({
      conversationIds: ids,
      turnsByConversation: turns,
      goldenByConversation: goldenCount,
      data: run.roles[role],
      topK: bench.top_k_predicates,
      buckets: bench.confidence_buckets,
    });
  const rawBaseline = raw("baseline");
  const rawCandidate = raw("candidate");

  const perRole = (role: ConfigRole): ConfigMetrics => {
    const m = role === "baseline" ? rawBaseline : rawCandidate;
    return {
      ...m,
      precision: { ...m.precision, value: round(m.precision.value), ci: roundInterval(precisionCi[role]) },
      recall: { ...m.recall, value: round(m.recall.value), ci: roundInterval(recallCi[role]) },
      extraction: { per_turn: round(m.extraction.per_turn), per_conversation: round(m.extraction.per_conversation) },
      junk: { ...m.junk, rate: round(m.junk.rate) },
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

  // Deltas come from the unrounded values: rounding each side first shifts a relative change by up to
  // a few hundredths of a percent (5/9 vs 6/15 extractions per turn is +38.89%, not +38.9%).
  const change = (pick: (m: ReturnType<typeof raw>) => number | null) => difference(pick(rawCandidate), pick(rawBaseline));
  const pp = (pick: (m: ReturnType<typeof raw>) => number | null) => {
    const d = change(pick);
    return d === null ? null : round(d * 100, 2);
  };
  const delta: Deltas = {
    precision: { value: round(change((m) => m.precision.value)), ci: roundInterval(precisionCi.delta) },
    recall: { value: round(change((m) => m.recall.value)), ci: roundInterval(recallCi.delta) },
    extraction_per_turn_pct: relativeChangePct(rawBaseline.extraction.per_turn, rawCandidate.extraction.per_turn),
    junk_pp: pp((m) => m.junk.rate),
    confidence_high_share_pp: pp((m) => m.confidence.high_share),
    confidence_mean: round(change((m) => m.confidence.mean)),
    json_fail_rate: round(change((m) => m.operating.json_fail_rate)),
    dedup_collapse_rate: round(change((m) => m.operating.dedup_collapse_rate)),
    entity_resolution_fail_rate: round(change((m) => m.operating.entity_resolution_fail_rate)),
  };

  const pairs: CandidatePair[] = ids.flatMap((id) =>
    pairCandidates(run.roles.baseline.dryRuns.get(id)?.candidates ?? [], run.roles.candidate.dryRuns.get(id)?.candidates ?? []),
  );
  const baselineCandidates = allCandidates(ids, run.roles.baseline);
  const candidateCandidates = allCandidates(ids, run.roles.candidate);
  const vocabulary = compareVocabularies(baselineCandidates, candidateCandidates, bench.top_k_predicates, changeCounts(pairs, "predicate"));
  vocabulary.jaccard = round(vocabulary.jaccard);
  const types = compareTypes(baselineCandidates, candidateCandidates, changeCounts(pairs, "type"));
  const pairing = summarizePairs(pairs);
  const metrics = { baseline, candidate, delta };

  return {
    metrics,
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
