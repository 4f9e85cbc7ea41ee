import type { ExtractorConfig } from "../schema/extractor-config.js";
import type {
  Calibration,
  Completeness,
  ConfigMetrics,
  Flag,
  Pairing,
  Recommendation,
  TypeChange,
  Vocabulary,
} from "../schema/report.js";
import { CHANGE_KIND_LABEL, diffConfigs } from "./config-diff.js";
import { applyDecisionTable, pickWinningRule, unmeasuredDrift } from "./decision-table.js";
import { normalizationSnippet, rolloutSnippet, scalingSnippet } from "./snippets.js";

export interface RecommendInput {
  baseline: ExtractorConfig;
  candidate: ExtractorConfig;
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics };
  completeness: Completeness;
  /** Fewer paired conversations than this and the verdict is insufficient data. */
  minPairedConversations: number;
  vocabulary: Vocabulary;
  types: TypeChange;
  pairing: Pairing;
  calibration: Calibration;
  flags: Flag[];
}

import { strategyLabel } from "./strategy-label.js";

export { strategyLabel };

/** Why too little was measured to recommend a strategy; empty when enough was. */
export function insufficientDataReasons(
  input: Pick<RecommendInput, "completeness" | "metrics" | "minPairedConversations">,
): string[] {
  const { completeness, metrics, minPairedConversations } = input;
  const reasons: string[] = [];
  if (completeness.paired_conversations < minPairedConversations) {
    reasons.push(
      `${completeness.paired_conversations} of ${completeness.conversations} conversations are paired (both configs produced a result); ` +
        `at least ${minPairedConversations} are needed (min_paired_conversations)`,
    );
  }
  for (const role of ["baseline", "candidate"] as const) {
    const side = completeness[role];
    const judgeErrors = Object.entries(side.judge_errors).filter(([, n]) => n > 0);
    if (side.failed > 0 && side.succeeded === 0)
      reasons.push(`every dry run of the ${role} failed (${side.failed} of ${side.attempted})`);
    else if (metrics[role].candidates === 0)
      reasons.push(`the ${role} produced no candidates on the paired conversations`);
    else if (judgeErrors.length > 0 && metrics[role].precision.judged === 0 && metrics[role].recall.golden === 0) {
      reasons.push(
        `every judge call on the ${role} failed (${judgeErrors.map(([task, n]) => `${task} ${n}`).join(", ")}): nothing it extracted was judged`,
      );
    }
  }
  return reasons;
}

/** What changed + what the measurements show → a migration strategy, its evidence and config snippets. */
export function recommend(input: RecommendInput): Recommendation {
  const diff = diffConfigs(input.baseline, input.candidate);
  const insufficient = insufficientDataReasons(input);
  const measured = insufficient.length === 0;
  const rules = applyDecisionTable({
    diff,
    vocabulary: input.vocabulary,
    types: input.types,
    pairing: input.pairing,
    measured,
  });
  const winner = pickWinningRule(rules);

  const warnings: string[] = [];
  if (diff.changed.length > 0 && !diff.schema_version_changed) {
    warnings.push(
      `the configs differ in ${diff.changed.length} field(s) but both use schema_version ${input.baseline.extractor.schema_version}: ` +
        "bump it so the two populations of memories can be told apart",
    );
  }

  const notMeasured = unmeasuredDrift(
    { pairing: input.pairing, measured },
    { baseline: input.metrics.baseline.candidates, candidate: input.metrics.candidate.candidates },
  );
  const base = { rules, config_diff: diff, warnings, insufficient, not_measured: notMeasured };
  if (!measured) {
    return {
      ...base,
      strategy: "insufficient_data",
      risk: "unknown",
      summary: `insufficient data: ${insufficient.join("; ")}`,
      snippets: {},
    };
  }

  const snippets: Recommendation["snippets"] = {};
  if (winner && winner.strategy === "progressive_rollout")
    snippets.rollout = rolloutSnippet(input.baseline, input.candidate);
  const normalization = normalizationSnippet(input.vocabulary);
  if (normalization && input.vocabulary.band !== "minimal") snippets.normalization = normalization;
  if (input.calibration.scaling && input.flags.some((f) => f.id === "confidence_shift"))
    snippets.scaling = scalingSnippet(input.calibration.scaling.factor);

  if (!winner) {
    const changedKinds = diff.kinds.map((kind) => CHANGE_KIND_LABEL[kind]);
    const summary =
      diff.changed.length === 0
        ? "coexist (low risk): the two configs are identical"
        : diff.kinds.length === 1 && diff.kinds[0] === "schema_version"
          ? "coexist (low risk): only schema_version changed"
          : `coexist (low risk): no row of the decision table applies (changed: ${changedKinds.join(", ")})` +
            (notMeasured.length > 0 ? "; entity naming and type moves were not measured (too few paired facts)" : "");
    return { ...base, strategy: "coexist", risk: "low", summary, snippets };
  }
  return {
    ...base,
    strategy: winner.strategy,
    risk: winner.risk,
    summary: `${strategyLabel(winner.strategy)} (${winner.risk} risk): ${winner.change}`,
    snippets,
  };
}
