import type { JudgeNoise, ModelUsageSummary, PairwiseSummary } from "../schema/report.js";
import { CONFIG_ROLES } from "../schema/run-log.js";
import { ratio } from "./numbers.js";
import type { RunData } from "./run-data.js";

interface Agreement {
  compared: number;
  disagreements: number;
}

/** Count verdicts of a unit judged twice whose outcome flipped; units where either judgement failed are left out. */
function compare<T>(first: T[], repeat: T[], key: (item: T) => string | number, outcome: (item: T) => boolean, into: Agreement): void {
  const byKey = new Map(first.map((item) => [key(item), outcome(item)]));
  for (const item of repeat) {
    const before = byKey.get(key(item));
    if (before === undefined) continue;
    into.compared++;
    if (before !== outcome(item)) into.disagreements++;
  }
}

/**
 * Judge noise: on the seeded subset judged twice, the share of usefulness verdicts (useful or not)
 * and coverage verdicts (covered or not) that changed. Null when nothing was judged twice.
 */
export function computeJudgeNoise(run: RunData): JudgeNoise | null {
  const usefulness: Agreement = { compared: 0, disagreements: 0 };
  const coverage: Agreement = { compared: 0, disagreements: 0 };
  let units = 0;
  for (const role of CONFIG_ROLES) {
    const data = run.roles[role];
    for (const [id, repeat] of data.repeats.usefulness) {
      units++;
      const first = data.usefulness.get(id);
      if (first && !first.error && !repeat.error) compare(first.items, repeat.items, (v) => v.candidate_index, (v) => v.useful, usefulness);
    }
    for (const [id, repeat] of data.repeats.coverage) {
      const first = data.coverage.get(id);
      if (first && !first.error && !repeat.error) compare(first.items, repeat.items, (v) => v.golden_id, (v) => v.covered, coverage);
    }
  }
  if (units === 0) return null;
  const rate = (a: Agreement) => ({ ...a, rate: ratio(a.disagreements, a.compared) });
  return { units, usefulness: rate(usefulness), coverage: rate(coverage) };
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

/** Model calls, tokens and cost per scope, and the total of the priced ones; null when the run used no model. */
export function summarizeModelUsage(run: RunData): ModelUsageSummary | null {
  const record = run.usage;
  if (!record || record.accounts.length === 0) return null;
  const summary: ModelUsageSummary = {
    accounts: record.accounts,
    total_cost_usd: record.accounts.reduce((sum, a) => sum + (a.cost_usd ?? 0), 0),
    unpriced_models: [...new Set(record.accounts.filter((a) => a.cost_usd === null).map((a) => a.model))],
    max_cost_usd: record.max_cost_usd,
  };
  if (record.stopped) summary.stopped = record.stopped;
  return summary;
}
