import type { ModelUsage } from "../schema/model-usage.js";
import type { ModelUsageRecord } from "../schema/run-log.js";

/** The counts of a model's usage that add up across records. */
export const SUMMED_USAGE = [
  "requests",
  "calls",
  "batch_calls",
  "cache_hits",
  "retries",
  "failures",
  "input_tokens",
  "output_tokens",
  "reasoning_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
] as const;

/** A resumed run logs its model usage again for the part it did: the two add up, per scope and model. */
export function mergeUsage(before: ModelUsageRecord, after: ModelUsageRecord): ModelUsageRecord {
  const key = (a: ModelUsage) => `${a.scope}\u0000${a.provider}\u0000${a.model}`;
  const merged = new Map(before.accounts.map((a) => [key(a), { ...a }]));
  for (const account of after.accounts) {
    const prior = merged.get(key(account));
    if (!prior) {
      merged.set(key(account), { ...account });
      continue;
    }
    for (const field of SUMMED_USAGE) prior[field] += account[field];
    prior.cost_usd = prior.cost_usd === null || account.cost_usd === null ? null : prior.cost_usd + account.cost_usd;
  }
  return { ...after, accounts: [...merged.values()] };
}
