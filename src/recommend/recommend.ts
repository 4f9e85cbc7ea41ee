import type { ExtractorConfig } from "../schema/extractor-config.js";
import type { ConfigMetrics, Flag, Pairing, Recommendation, TypeChange, Vocabulary } from "../schema/report.js";
import { diffConfigs } from "./config-diff.js";
import { applyDecisionTable, pickWinningRule } from "./decision-table.js";
import { normalizationSnippet, rolloutSnippet, scalingFactor, scalingSnippet } from "./snippets.js";

export interface RecommendInput {
  baseline: ExtractorConfig;
  candidate: ExtractorConfig;
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics };
  vocabulary: Vocabulary;
  types: TypeChange;
  pairing: Pairing;
  flags: Flag[];
}

const STRATEGY_LABEL: Record<Recommendation["strategy"], string> = {
  coexist: "coexist",
  progressive_rollout: "progressive rollout",
  full_reextraction: "full re-extraction",
};

export function strategyLabel(strategy: Recommendation["strategy"]): string {
  return STRATEGY_LABEL[strategy];
}

/** What changed + what the measurements show → a migration strategy, its evidence and config snippets. */
export function recommend(input: RecommendInput): Recommendation {
  const diff = diffConfigs(input.baseline, input.candidate);
  const rules = applyDecisionTable({ diff, vocabulary: input.vocabulary, types: input.types, pairing: input.pairing });
  const winner = pickWinningRule(rules);

  const warnings: string[] = [];
  if (diff.changed.length > 0 && !diff.schema_version_changed) {
    warnings.push(
      `the configs differ in ${diff.changed.length} field(s) but both use schema_version ${input.baseline.extractor.schema_version}: ` +
        "bump it so the two populations of memories can be told apart",
    );
  }

  const snippets: Recommendation["snippets"] = {};
  if (winner && winner.strategy === "progressive_rollout") snippets.rollout = rolloutSnippet(input.baseline, input.candidate);
  const normalization = normalizationSnippet(input.vocabulary);
  if (normalization && input.vocabulary.band !== "minimal") snippets.normalization = normalization;
  const factor = scalingFactor(input.metrics.baseline, input.metrics.candidate);
  if (factor !== undefined && input.flags.some((f) => f.id === "confidence_shift")) snippets.scaling = scalingSnippet(factor);

  if (!winner) {
    return {
      strategy: "coexist",
      risk: "low",
      summary:
        diff.changed.length === 0
          ? "coexist (low risk): the two configs are identical"
          : "coexist (low risk): no row of the decision table applies",
      rules,
      config_diff: diff,
      warnings,
      snippets,
    };
  }
  return {
    strategy: winner.strategy,
    risk: winner.risk,
    summary: `${STRATEGY_LABEL[winner.strategy]} (${winner.risk} risk): ${winner.change}`,
    rules,
    config_diff: diff,
    warnings,
    snippets,
  };
}
