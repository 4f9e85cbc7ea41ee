import type { ConfigMetrics } from "../schema/report.js";
import { summarizeConfidenceCounts } from "./confidence.js";
import { percentile, ratio, sortedByKey } from "./numbers.js";
import type { SideTotals } from "./run-data.js";
import { usefulPerConversation } from "./useful-yield.js";
import { topPredicates } from "./vocabulary.js";

/** One config's junk judgements over the paired conversations of the junk sample. */
export interface JunkCounts {
  junk: number;
  judged: number;
  conversations: number;
  categories: Record<string, number>;
}

export type RawConfigMetrics = Omit<ConfigMetrics, "precision" | "recall" | "extraction" | "junk"> & {
  precision: Omit<ConfigMetrics["precision"], "ci">;
  recall: Omit<ConfigMetrics["recall"], "ci">;
  extraction: Omit<ConfigMetrics["extraction"], "ci">;
  junk: Omit<ConfigMetrics["junk"], "ci">;
};

function sortedEntries(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * One config's metrics, before intervals: precision, recall, extraction count, junk rate, confidence,
 * types and predicates over the paired conversations; operating metrics over every dry run it logged.
 * Judge units that failed are left out of the metric they would have fed.
 */
export function computeConfigMetrics(
  side: SideTotals,
  junk: JunkCounts,
  topK: number,
  buckets: number[],
): RawConfigMetrics {
  const stages = side.byStage;
  const resolutions = stages.exact + stages.alias + stages.fuzzy + stages.fallback;
  return {
    conversations: side.conversations,
    turns: side.turns,
    candidates: side.candidates,
    precision: { value: ratio(side.useful, side.judged), useful: side.useful, judged: side.judged },
    recall: {
      value: ratio(side.covered, side.golden),
      covered: side.covered,
      golden: side.golden,
      // Measured only where a model judged coverage: a cheap match has no partial verdict.
      ...(side.modelCoverageJudged > 0 ? { partial: side.partial } : {}),
    },
    extraction: {
      per_turn: ratio(side.candidates, side.turns),
      per_conversation: ratio(side.candidates, side.conversations),
    },
    useful_per_conversation: usefulPerConversation(side),
    junk: {
      rate: ratio(junk.junk, junk.judged),
      junk: junk.junk,
      judged: junk.judged,
      conversations: junk.conversations,
      by_category: sortedEntries(new Map(Object.entries(junk.categories))),
    },
    confidence: summarizeConfidenceCounts(side.confidence, buckets),
    types: sortedEntries(side.types),
    predicates: { distinct: side.predicates.size, top: topPredicates(side.predicates, topK) },
    operating: {
      extract_calls: side.extractCalls,
      json_failures: side.jsonFailures,
      json_fail_rate: ratio(side.jsonFailures, side.extractCalls),
      answer_failures: sortedByKey(side.answerFailures),
      repairs: sortedByKey(side.repairs),
      dropped: sortedByKey(side.dropped),
      extracted: side.extracted,
      deduped: side.deduped,
      dedup_collapse_rate: ratio(side.deduped, side.extracted),
      resolved_by_stage: { ...stages },
      entity_resolution_fail_rate: ratio(stages.fallback, resolutions),
      prefiltered_turns: side.prefilteredTurns,
      latency_p50_ms: percentile(side.latencies, 50),
      latency_p95_ms: percentile(side.latencies, 95),
      input_tokens: side.inputTokens,
      output_tokens: side.outputTokens,
    },
  };
}
