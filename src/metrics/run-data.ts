import type { DryRunResult } from "../schema/dry-run.js";
import type { ModelUsage } from "../schema/model-usage.js";
import type { ConfigRole, JudgementRecord, ModelUsageRecord, PairwiseRecord, RunEnd, RunLogRecord, RunStart } from "../schema/run-log.js";
import { CONFIG_ROLES } from "../schema/run-log.js";

type Judgement<T extends JudgementRecord["task"]> = Extract<JudgementRecord, { task: T }>;

export interface RoleData {
  dryRuns: Map<string, DryRunResult>;
  coverage: Map<string, Judgement<"coverage">>;
  usefulness: Map<string, Judgement<"usefulness">>;
  junk: Map<string, Judgement<"junk">>;
  /** Judge-noise repeats of coverage and usefulness, kept apart from the judgements that count. */
  repeats: { coverage: Map<string, Judgement<"coverage">>; usefulness: Map<string, Judgement<"usefulness">> };
}

/** The run log, indexed by config role and conversation. */
export interface RunData {
  start: RunStart;
  roles: Record<ConfigRole, RoleData>;
  pairwise: Map<string, PairwiseRecord>;
  usage?: ModelUsageRecord;
  end?: RunEnd;
}

function emptyRole(): RoleData {
  return { dryRuns: new Map(), coverage: new Map(), usefulness: new Map(), junk: new Map(), repeats: { coverage: new Map(), usefulness: new Map() } };
}

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
    for (const field of ["requests", "calls", "cache_hits", "retries", "failures", "input_tokens", "output_tokens"] as const) prior[field] += account[field];
    prior.cost_usd = prior.cost_usd === null || account.cost_usd === null ? null : prior.cost_usd + account.cost_usd;
  }
  const record: ModelUsageRecord = { ...after, accounts: [...merged.values()] };
  return record;
}

/**
 * Index run-log records. A unit of work logged twice (a resumed run) counts once: the last record wins.
 * Throws when the log has no run_start record first.
 */
export function indexRunLog(records: RunLogRecord[]): RunData {
  const first = records[0];
  if (!first || first.kind !== "run_start") throw new Error("run log does not start with a run_start record");
  const roles = Object.fromEntries(CONFIG_ROLES.map((role) => [role, emptyRole()])) as Record<ConfigRole, RoleData>;
  const data: RunData = { start: first, roles, pairwise: new Map() };
  for (const record of records.slice(1)) {
    switch (record.kind) {
      case "run_start":
        break;
      case "dry_run":
        roles[record.role].dryRuns.set(record.conversation_id, record.result);
        break;
      case "judgement":
        if (record.repeat !== undefined) {
          if (record.task === "coverage") roles[record.role].repeats.coverage.set(record.conversation_id, record);
          else if (record.task === "usefulness") roles[record.role].repeats.usefulness.set(record.conversation_id, record);
        } else if (record.task === "coverage") roles[record.role].coverage.set(record.conversation_id, record);
        else if (record.task === "usefulness") roles[record.role].usefulness.set(record.conversation_id, record);
        else roles[record.role].junk.set(record.conversation_id, record);
        break;
      case "pairwise":
        data.pairwise.set(record.conversation_id, record);
        break;
      case "model_usage":
        data.usage = data.usage ? mergeUsage(data.usage, record) : record;
        break;
      case "run_end":
        data.end = record;
        break;
    }
  }
  return data;
}
