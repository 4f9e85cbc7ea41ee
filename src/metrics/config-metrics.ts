import type { Candidate } from "../schema/candidate.js";
import type { ConfigMetrics } from "../schema/report.js";
import type { RoleData } from "./run-data.js";
import { summarizeConfidence } from "./confidence.js";
import { countBy, percentile, ratio } from "./numbers.js";
import { topPredicates } from "./vocabulary.js";

export interface ConfigMetricsInput {
  /** Conversations where both configs produced a result: quality and drift metrics cover these. */
  pairedIds: string[];
  turnsByConversation: Map<string, number>;
  data: RoleData;
  topK: number;
  buckets: number[];
}

/** All candidates of a config over the given conversations, in their order. */
export function allCandidates(conversationIds: string[], data: RoleData): Candidate[] {
  return conversationIds.flatMap((id) => data.dryRuns.get(id)?.candidates ?? []);
}

type RawConfigMetrics = Omit<ConfigMetrics, "precision" | "recall" | "extraction" | "junk"> & {
  precision: Omit<ConfigMetrics["precision"], "ci">;
  recall: Omit<ConfigMetrics["recall"], "ci">;
  extraction: Omit<ConfigMetrics["extraction"], "ci">;
  junk: Omit<ConfigMetrics["junk"], "ci">;
};

/**
 * One config's metrics, before intervals: precision, recall, extraction count, junk rate, confidence,
 * types and predicates over the paired conversations; operating metrics over every dry run it logged.
 * Judge units that failed are left out of the metric they would have fed.
 */
export function computeConfigMetrics(input: ConfigMetricsInput): RawConfigMetrics {
  const { pairedIds, data } = input;
  const candidates = allCandidates(pairedIds, data);
  const turns = pairedIds.reduce((sum, id) => sum + (input.turnsByConversation.get(id) ?? data.dryRuns.get(id)?.counts.turns ?? 0), 0);

  let useful = 0, judged = 0, covered = 0, golden = 0, junk = 0, junkJudged = 0, junkConversations = 0;
  const junkCategories: string[] = [];
  for (const id of pairedIds) {
    const usefulness = data.usefulness.get(id);
    if (usefulness && !usefulness.error) {
      judged += usefulness.items.length;
      useful += usefulness.items.filter((v) => v.useful).length;
    }
    const coverage = data.coverage.get(id);
    if (coverage && !coverage.error) {
      golden += coverage.items.length;
      covered += coverage.items.filter((v) => v.covered).length;
    }
    const junkJudgement = data.junk.get(id);
    if (junkJudgement && !junkJudgement.error) {
      junkConversations++;
      junkJudged += junkJudgement.items.length;
      for (const verdict of junkJudgement.items) {
        if (!verdict.junk) continue;
        junk++;
        junkCategories.push(verdict.category ?? "other");
      }
    }
  }

  const results = [...data.dryRuns.values()];
  const sum = (pick: (r: (typeof results)[number]) => number) => results.reduce((total, r) => total + pick(r), 0);
  const byStage = {
    exact: sum((r) => r.counts.resolved_by_stage.exact),
    alias: sum((r) => r.counts.resolved_by_stage.alias),
    fuzzy: sum((r) => r.counts.resolved_by_stage.fuzzy),
    fallback: sum((r) => r.counts.resolved_by_stage.fallback),
  };
  const resolutions = byStage.exact + byStage.alias + byStage.fuzzy + byStage.fallback;
  const extractCalls = sum((r) => r.counts.extract_calls);
  const extracted = sum((r) => r.counts.extracted);

  return {
    conversations: pairedIds.length,
    turns,
    candidates: candidates.length,
    precision: { value: ratio(useful, judged), useful, judged },
    recall: { value: ratio(covered, golden), covered, golden },
    extraction: { per_turn: ratio(candidates.length, turns), per_conversation: ratio(candidates.length, pairedIds.length) },
    junk: { rate: ratio(junk, junkJudged), junk, judged: junkJudged, conversations: junkConversations, by_category: countBy(junkCategories, (c) => c) },
    confidence: summarizeConfidence(candidates.map((c) => c.confidence), input.buckets),
    types: countBy(candidates, (c) => c.type),
    predicates: { distinct: new Set(candidates.map((c) => c.predicate)).size, top: topPredicates(candidates, input.topK) },
    operating: {
      extract_calls: extractCalls,
      json_failures: sum((r) => r.counts.json_failures),
      json_fail_rate: ratio(sum((r) => r.counts.json_failures), extractCalls),
      extracted,
      deduped: sum((r) => r.counts.deduped),
      dedup_collapse_rate: ratio(sum((r) => r.counts.deduped), extracted),
      resolved_by_stage: byStage,
      entity_resolution_fail_rate: ratio(byStage.fallback, resolutions),
      prefiltered_turns: sum((r) => r.counts.prefiltered_turns),
      latency_p50_ms: percentile(results.map((r) => r.latency_ms), 50),
      latency_p95_ms: percentile(results.map((r) => r.latency_ms), 95),
      input_tokens: sum((r) => r.usage.input_tokens),
      output_tokens: sum((r) => r.usage.output_tokens),
    },
  };
}
