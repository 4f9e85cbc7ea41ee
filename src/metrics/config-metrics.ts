import type { Candidate } from "../schema/candidate.js";
import type { ConfigMetrics } from "../schema/report.js";
import type { RoleData } from "./run-data.js";
import { summarizeConfidence } from "./confidence.js";
import { countBy, percentile, ratio } from "./numbers.js";
import { topPredicates } from "./vocabulary.js";

export interface ConfigMetricsInput {
  conversationIds: string[];
  turnsByConversation: Map<string, number>;
  goldenByConversation: Map<string, number>;
  data: RoleData;
  topK: number;
  buckets: number[];
}

/** All candidates of a config, conversations in dataset order. */
export function allCandidates(conversationIds: string[], data: RoleData): Candidate[] {
  return conversationIds.flatMap((id) => data.dryRuns.get(id)?.candidates ?? []);
}

/** Precision, recall, extraction count, junk rate, confidence, types and operating metrics of one config. */
export function computeConfigMetrics(input: ConfigMetricsInput): Omit<ConfigMetrics, "precision" | "recall"> & {
  precision: Omit<ConfigMetrics["precision"], "ci">;
  recall: Omit<ConfigMetrics["recall"], "ci">;
} {
  const { conversationIds, data } = input;
  const results = conversationIds.flatMap((id) => {
    const result = data.dryRuns.get(id);
    return result ? [result] : [];
  });
  const succeeded = results.filter((r) => !r.error);
  const candidates = allCandidates(conversationIds, data);
  const turns = succeeded.reduce((sum, r) => sum + (input.turnsByConversation.get(r.conversation_id) ?? r.counts.turns), 0);

  let useful = 0, judged = 0, covered = 0, golden = 0, junk = 0, sampled = 0, judgeErrors = 0;
  const junkCategories: string[] = [];
  for (const id of conversationIds) {
    const usefulness = data.usefulness.get(id);
    if (usefulness?.error) judgeErrors++;
    else if (usefulness) {
      judged += usefulness.items.length;
      useful += usefulness.items.filter((v) => v.useful).length;
    }
    const coverage = data.coverage.get(id);
    if (coverage?.error) judgeErrors++;
    else if (coverage) {
      golden += coverage.items.length;
      covered += coverage.items.filter((v) => v.covered).length;
    } else {
      golden += input.goldenByConversation.get(id) ?? 0;
    }
    const junkJudgement = data.junk.get(id);
    if (junkJudgement?.error) judgeErrors++;
    else if (junkJudgement) {
      sampled += junkJudgement.items.length;
      for (const verdict of junkJudgement.items) {
        if (!verdict.junk) continue;
        junk++;
        junkCategories.push(verdict.category ?? "other");
      }
    }
  }

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
  const latencies = results.map((r) => r.latency_ms);

  return {
    conversations: results.length,
    conversations_failed: results.length - succeeded.length,
    turns,
    candidates: candidates.length,
    precision: { value: ratio(useful, judged), useful, judged },
    recall: { value: ratio(covered, golden), covered, golden },
    extraction: { per_turn: ratio(candidates.length, turns), per_conversation: ratio(candidates.length, succeeded.length) },
    junk: { rate: ratio(junk, sampled), junk, sampled, by_category: countBy(junkCategories, (c) => c) },
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
      latency_p50_ms: percentile(latencies, 50),
      latency_p95_ms: percentile(latencies, 95),
      input_tokens: sum((r) => r.usage.input_tokens),
      output_tokens: sum((r) => r.usage.output_tokens),
      sample_errors: results.length - succeeded.length,
      judge_errors: judgeErrors,
    },
  };
}
