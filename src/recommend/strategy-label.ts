import type { Recommendation } from "../schema/report.js";

const STRATEGY_LABEL: Record<Recommendation["strategy"], string> = {
  coexist: "coexist",
  progressive_rollout: "progressive rollout",
  full_reextraction: "full re-extraction",
  insufficient_data: "insufficient data",
};

/** A strategy as the reports name it. */
export function strategyLabel(strategy: Recommendation["strategy"]): string {
  return STRATEGY_LABEL[strategy];
}
