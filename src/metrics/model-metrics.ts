import type { ModelUsage } from "../schema/model-usage.js";
import type { CostTotal, JudgeNoise, ModelUsageSummary, PairwiseSummary } from "../schema/report.js";
import { CORRECTION_METHOD, flipRateOf } from "./judge-noise.js";
import { ratio, round } from "./numbers.js";
import type { RunData } from "./run-data.js";

/**
 * Judge noise: on the seeded subset judged twice, the share of usefulness verdicts (useful or not),
 * coverage verdicts a model gave (covered or not) and junk verdicts that changed, and the flip rate of
 * one judgement that share implies (see judge-noise.ts). Null when nothing was judged twice.
 */
export function computeJudgeNoise(run: RunData): JudgeNoise | null {
  const { noise } = run;
  if (!noise || noise.units === 0) return null;
  const rate = (a: { compared: number; disagreements: number }) => {
    const share = ratio(a.disagreements, a.compared);
    return { ...a, rate: share, flip_rate: share === null ? null : round(flipRateOf(share)) };
  };
  return {
    units: noise.units,
    usefulness: rate(noise.usefulness),
    coverage: rate(noise.coverage),
    junk: rate(noise.junk),
    method: CORRECTION_METHOD,
  };
}

/** Pairwise outcomes over the conversations compared in both orders. Null when pairwise judging was off. */
export function summarizePairwise(run: RunData): PairwiseSummary | null {
  if (run.pairwise.size === 0) return null;
  const verdicts = [...run.pairwise.values()].flatMap((r) => (r.verdict && !r.error ? [r.verdict] : []));
  return {
    conversations: verdicts.length,
    candidate_better: verdicts.filter((v) => v.winner === "candidate").length,
    candidate_worse: verdicts.filter((v) => v.winner === "baseline").length,
    ties: verdicts.filter((v) => v.winner === "tie").length,
    errors: run.pairwise.size - verdicts.length,
    consistency_rate: ratio(verdicts.filter((v) => v.consistent).length, verdicts.length),
  };
}

/**
 * The run's spend and whether it is all of it: a model with no price that answered calls spent an
 * unknown amount, so the total is then incomplete and names those models. An unpriced model whose
 * calls were all cache hits spent nothing: it leaves the total complete.
 */
export function summarizeCost(accounts: readonly ModelUsage[]): CostTotal {
  const unpriced = [...new Set(accounts.filter((a) => a.cost_usd === null && a.calls > 0).map((a) => a.model))];
  // The preflight checks were paid for too: they count in the total, apart from each account's own calls.
  const total = accounts.reduce((sum, a) => sum + (a.cost_usd ?? 0) + (a.preflight_cost_usd ?? 0), 0);
  return { total_usd: total, complete: unpriced.length === 0, unpriced_models: unpriced };
}

/** Model calls, tokens and cost per scope, and the total of the priced ones; null when the run used no model. */
export function summarizeModelUsage(run: RunData): ModelUsageSummary | null {
  const record = run.usage;
  if (!record || record.accounts.length === 0) return null;
  const cost = summarizeCost(record.accounts);
  const summary: ModelUsageSummary = {
    accounts: record.accounts,
    total_cost_usd: cost.total_usd,
    unpriced_models: [...new Set(record.accounts.filter((a) => a.cost_usd === null).map((a) => a.model))],
    max_cost_usd: record.max_cost_usd,
    cost,
  };
  if (record.stopped) summary.stopped = record.stopped;
  return summary;
}
