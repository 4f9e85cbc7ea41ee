import { Document, isPair, isScalar, isSeq, stringify, visit } from "yaml";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import type { ConfigMetrics, Vocabulary } from "../schema/report.js";
import { predicateKey } from "../text/tokens.js";

/** The seed's progressive rollout block: 10% of writes go to the candidate config. */
export function rolloutSnippet(baseline: ExtractorConfig, candidate: ExtractorConfig): string {
  const side = (config: ExtractorConfig) => ({
    schema_version: config.extractor.schema_version,
    provider: config.extractor.provider,
    model: config.extractor.model ?? config.extractor.provider,
  });
  return stringify({
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
}

/**
 * Mappings from the candidate's predicates back to the baseline's: renames seen on paired facts
 * (each candidate predicate to its most frequent baseline form), plus spellings that differ only by
 * case or separators. Predicates both configs use are never remapped.
 */
export function normalizationMappings(vocabulary: Vocabulary): Array<{ from: string[]; to: string }> {
  const shared = new Set(vocabulary.shared);
  const target = new Map<string, string>();
  for (const rename of vocabulary.renames) {
    if (shared.has(rename.from) && shared.has(rename.to)) continue;
    if (!shared.has(rename.to) && !target.has(rename.to)) target.set(rename.to, rename.from);
  }
  for (const from of vocabulary.only_candidate) {
    if (target.has(from)) continue;
    const match = vocabulary.only_baseline.find((p) => predicateKey(p) === predicateKey(from));
    if (match) target.set(from, match);
  }
  const byTarget = new Map<string, string[]>();
  for (const [from, to] of target) byTarget.set(to, [...(byTarget.get(to) ?? []), from]);
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

/** A factor that brings the candidate's mean confidence onto the baseline's. */
export function scalingFactor(baseline: ConfigMetrics, candidate: ConfigMetrics): number | undefined {
  const a = baseline.confidence.mean;
  const b = candidate.confidence.mean;
  if (a === null || b === null || b === 0) return undefined;
  return Math.round((a / b) * 100) / 100;
}

export function scalingSnippet(factor: number): string {
  return stringify({ confidence_scaling: { enabled: true, factor } });
}
