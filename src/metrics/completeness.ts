import type { Completeness } from "../schema/report.js";
import { CONFIG_ROLES, type ConfigRole, type RunStart } from "../schema/run-log.js";
import { FLAG } from "./conversation-table.js";
import { ratio, sortedByKey } from "./numbers.js";
import type { RunData, SideTotals } from "./run-data.js";

/** Conversations the run was asked to do. */
export function plannedConversations(start: RunStart): number {
  return start.dataset.conversations;
}

/** Conversations where both configs produced a result (a dry run without error): what paired metrics cover. */
export function pairedConversations(run: RunData): string[] {
  return run.table
    .inDatasetOrder()
    .filter((slot) => run.table.flag(slot, FLAG.paired))
    .map((slot) => run.table.id(slot));
}

function sideCompleteness(side: SideTotals): Completeness["baseline"] {
  return {
    attempted: side.attempted,
    succeeded: side.attempted - side.failed,
    failed: side.failed,
    failed_rate: ratio(side.failed, side.attempted),
    failed_by_kind: sortedByKey(side.failedByKind),
    judge_errors: sortedByKey(side.judgeErrors),
  };
}

/** What the run log holds against what was planned: failed units per config and kind, paired conversations. */
export function computeCompleteness(run: RunData, paired: number): Completeness {
  const conversations = plannedConversations(run.start);
  const side = (role: ConfigRole) => sideCompleteness(run.sides[role]);
  const [baseline, candidate] = CONFIG_ROLES.map(side) as [Completeness["baseline"], Completeness["candidate"]];
  return {
    complete: run.end !== undefined,
    conversations,
    paired_conversations: paired,
    missing_dry_runs: 2 * conversations - baseline.attempted - candidate.attempted,
    baseline,
    candidate,
  };
}
