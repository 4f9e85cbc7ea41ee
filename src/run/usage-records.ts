import type { ModelUsageRecord } from "../schema/run-log.js";
import type { RunPlan } from "./plan.js";
import { SUMMED_USAGE } from "../metrics/merge-usage.js";

/** The model usage of the run so far, when it uses models; `stopped` says why it stopped early. */
export function usageRecord(plan: RunPlan, stopped?: string): ModelUsageRecord | undefined {
  if (!plan.models) return undefined;
  const record: ModelUsageRecord = {
    kind: "model_usage",
    accounts: plan.models.usage(),
    max_cost_usd: plan.models.options.maxCostUsd ?? null,
  };
  if (stopped) record.stopped = stopped;
  return record;
}

/** What was spent since an earlier usage record of the same process: the log sums its usage records. */
export function usageSince(now: ModelUsageRecord, before: ModelUsageRecord): ModelUsageRecord {
  const key = (a: ModelUsageRecord["accounts"][number]) => `${a.scope}\u0000${a.provider}\u0000${a.model}`;
  const earlier = new Map(before.accounts.map((a) => [key(a), a]));
  const accounts = now.accounts.map((account) => {
    const prior = earlier.get(key(account));
    if (!prior) return account;
    const delta = { ...account };
    for (const field of SUMMED_USAGE) delta[field] -= prior[field];
    delta.cost_usd =
      account.cost_usd === null || prior.cost_usd === null ? account.cost_usd : account.cost_usd - prior.cost_usd;
    return delta;
  });
  return { ...now, accounts };
}
