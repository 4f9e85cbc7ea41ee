import type { DryRunResult } from "../schema/dry-run.js";
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
        data.usage = record;
        break;
      case "run_end":
        data.end = record;
        break;
    }
  }
  return data;
}
