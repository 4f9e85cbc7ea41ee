import type { Recommendation, Reextraction, Vocabulary } from "../schema/report.js";
import type { RetrievalReport } from "../schema/retrieval-report.js";
import type { RetrievalVerdict, StrategyReading } from "../schema/retrieval-verdict.js";
import { formatEstimate, formatLimit, formatUsd } from "../text/format-number.js";
import { negate } from "./gate-checks.js";
import { normalizationSnippet } from "./snippets.js";
import { readStrategy } from "./read-strategy.js";
import { strategyLabel } from "./strategy-label.js";

export { readStrategy } from "./read-strategy.js";

/** The margin a mixed store's answerable share may lose against the better pure store when `max_coexist_retrieval_loss` is unset: 2 pp. */
export const DEFAULT_RETRIEVAL_MARGIN = 0.02;

const LABEL: Record<StrategyReading["strategy"] | "baseline", string> = {
  baseline: "the baseline store",
  reextract: "full re-extraction",
  coexist: "coexist",
  coexist_normalized: "coexist with the suggested normalization",
  progressive: "progressive rollout",
};

export function retrievalRule(margin: number): string {
  return (
    `a strategy's store is measured safe when the 95% paired interval of its answerable-share drop against the better pure store (baseline or full re-extraction) ` +
    `lies wholly at or below ${formatLimit(margin, "pp")}, broken when it lies wholly above. The simulation wins when it clears a mixed store: ` +
    `coexist when coexist is measured safe, else coexist with the suggested normalization when that is measured safe. When both are measured broken, ` +
    `a decision-table coexist becomes a progressive rollout, and the table's progressive rollout or full re-extraction stands (the two agree that no mixed store is safe). ` +
    `When an interval on the way straddles the margin, the decision table stands`
  );
}

const PRICE: Record<StrategyReading["strategy"], string> = {
  coexist: "free",
  coexist_normalized: "free: a config change",
  progressive: "no re-extraction; both extractors run on the rollout's share during the window",
  reextract: "cost not estimated: give the store's size as `store` in the bench file",
};

/** "coexist −12.0 pp [−16.4, −5.5] pp answerable share against the baseline store (free)". */
function describe(reading: StrategyReading): string {
  if (reading.drop === null || reading.interval === null) return `${LABEL[reading.strategy]}: not measured`;
  const price =
    reading.strategy === "reextract" && reading.price_usd !== null
      ? `${formatUsd(reading.price_usd)} live at list price`
      : PRICE[reading.strategy];
  return `${LABEL[reading.strategy]} ${formatEstimate(-reading.drop, negate(reading.interval), "pp")} answerable share against ${LABEL[reading.against]} (${price}, ${reading.reading.replace("_", " ")})`;
}

/**
 * The strategy the readings point to (see retrievalRule), or null when an interval on the way
 * straddles the margin. The simulation clears mixed stores; it does not by itself call for a full
 * re-extraction, which the decision table keeps for the changes a store's queries may not exercise.
 */
function measuredStrategy(
  readings: Map<string, StrategyReading>,
  table: Recommendation["strategy"],
): RetrievalVerdict["measured_strategy"] {
  const coexist = readings.get("coexist")!.reading;
  if (coexist === "safe") return "coexist";
  if (coexist !== "broken") return null;
  const normalized = readings.get("coexist_normalized")!.reading;
  if (normalized === "safe") return "coexist_normalized";
  if (normalized !== "broken") return null;
  return table === "full_reextraction" || table === "progressive_rollout" ? table : "progressive_rollout";
}

/** The simulation read beside the decision table's strategy, with which evidence wins (see retrievalRule). */
export function retrievalVerdict(
  retrieval: RetrievalReport,
  recommendation: Recommendation,
  reextraction: Reextraction | null,
  margin: number,
): RetrievalVerdict {
  const price = reextraction?.candidate.cost_usd?.live ?? null;
  const readings = new Map(
    (["coexist", "coexist_normalized", "progressive", "reextract"] as const).map((s) => [
      s,
      readStrategy(retrieval, s, margin, s === "reextract" ? price : 0),
    ]),
  );
  const measured =
    recommendation.strategy === "insufficient_data" ? null : measuredStrategy(readings, recommendation.strategy);
  const table = recommendation.strategy;
  const agrees =
    measured === null ||
    measured === table ||
    (measured === "coexist_normalized" && table === "coexist" && recommendation.snippets.normalization !== undefined);
  const winner = measured === null ? "decision_table" : "simulation";
  const measuredText = [...readings.values()].map(describe).join("; ");
  const which =
    measured === null
      ? `The simulation does not decide (an interval straddles the ${formatLimit(margin, "pp")} margin, or too little was measured): the decision table stands`
      : agrees && readings.get("coexist_normalized")!.reading === "broken"
        ? `Neither mixed store is measured safe: the simulation agrees with the decision table (${measuredLabel(measured)})`
        : agrees
          ? `The simulation agrees with the decision table (${measuredLabel(measured)})`
          : `The simulation (${measuredLabel(measured)}) disagrees with the decision table (${strategyLabel(table)}): the measurement wins`;
  return {
    margin,
    readings: [...readings.values()],
    measured_strategy: measured,
    table_strategy: table,
    agrees,
    winner,
    rule: retrievalRule(margin),
    summary: `${measuredText}. ${which}`,
  };
}

function measuredLabel(strategy: NonNullable<RetrievalVerdict["measured_strategy"]>): string {
  return strategy === "coexist_normalized" ? "coexist with the suggested normalization" : strategyLabel(strategy);
}

const RISK: Record<NonNullable<RetrievalVerdict["measured_strategy"]>, Recommendation["risk"]> = {
  coexist: "low",
  coexist_normalized: "low",
  progressive_rollout: "medium",
  full_reextraction: "high",
};

/** The recommendation with the simulation's verdict attached; when the simulation wins and disagrees, its strategy replaces the table's. */
export function withRetrievalEvidence(
  recommendation: Recommendation,
  verdict: RetrievalVerdict,
  vocabulary: Vocabulary,
): Recommendation {
  const withVerdict = { ...recommendation, retrieval: verdict };
  if (verdict.winner !== "simulation" || verdict.agrees || verdict.measured_strategy === null) return withVerdict;
  const measured = verdict.measured_strategy;
  const strategy = measured === "coexist_normalized" ? "coexist" : measured;
  const snippets = { ...recommendation.snippets };
  if (measured === "coexist_normalized") {
    const normalization = normalizationSnippet(vocabulary);
    if (normalization) snippets.normalization = normalization;
  }
  return {
    ...withVerdict,
    strategy,
    risk: RISK[measured],
    summary: `${measuredLabel(measured)} (${RISK[measured]} risk): measured by the retrieval simulation, overriding the decision table's ${strategyLabel(recommendation.strategy)} (${recommendation.summary.replace(/^[^:]*:\s*/, "")})`,
    snippets,
  };
}
