import { Document, isPair, isScalar, isSeq, stringify, visit } from "yaml";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import type { Vocabulary } from "../schema/report.js";

export { SNIPPET_DESTINATION } from "./snippet-destination.js";

/** What the rollout block's fields mean, written above it as YAML comments. */
const ROLLOUT_COMMENT = [
  " Progressive rollout: this block goes in the memory system's write-pipeline config (where writes",
  " are routed to an extractor), not in an extractor config or the bench file.",
  " rollout_percent: share of writes the candidate extractor handles while both run side by side.",
  " compare_metric: what the memory system compares between the memories each version wrote before",
  " promoting the candidate; retrieval_precision_at_5 = share of the 5 memories retrieved for a query",
  " that are relevant to it. compare_window_days: how long to compare before deciding.",
].join("\n");

/** The seed's progressive rollout block: 10% of writes go to the candidate config, with what each field means. */
export function rolloutSnippet(baseline: ExtractorConfig, candidate: ExtractorConfig): string {
  const side = (config: ExtractorConfig) => ({
    schema_version: config.extractor.schema_version,
    provider: config.extractor.provider,
    model: config.extractor.model ?? config.extractor.provider,
  });
  const doc = new Document({
    write_pipeline: {
      extractor: {
        strategy: "progressive",
        primary: side(baseline),
        candidate: side(candidate),
        rollout_percent: 10,
        compare_metric: "retrieval_precision_at_5",
        compare_window_days: 7,
      },
    },
  });
  doc.commentBefore = ROLLOUT_COMMENT;
  return doc.toString();
}

/** The vocabulary's suggestions as `predicate_normalization.mappings`, grouped by target. */
export function normalizationMappings(vocabulary: Vocabulary): Array<{ from: string[]; to: string }> {
  const byTarget = new Map<string, string[]>();
  for (const { from, to } of vocabulary.suggestions) byTarget.set(to, [...(byTarget.get(to) ?? []), from]);
  return [...byTarget.entries()]
    .map(([to, from]) => ({ from: from.sort(), to }))
    .sort((a, b) => a.to.localeCompare(b.to));
}

export function normalizationSnippet(vocabulary: Vocabulary): string | undefined {
  const mappings = normalizationMappings(vocabulary);
  if (mappings.length === 0) return undefined;
  const doc = new Document({ predicate_normalization: { enabled: true, mappings } });
  // `from: [worksAt, works-at]` on one line, as people write these blocks by hand.
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === "from" && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ flowCollectionPadding: false });
}

export function scalingSnippet(factor: number): string {
  return stringify({ confidence_scaling: { enabled: true, factor } });
}
