import type { Completeness } from "../schema/report.js";
import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import { countBy, ratio } from "./numbers.js";
import type { RoleData, RunData } from "./run-data.js";

/** Conversations where both configs produced a result (a dry run without error): what paired metrics cover. */
export function pairedConversations(run: RunData): string[] {
  return run.start.dataset.conversations
    .map((c) => c.id)
    .filter((id) => CONFIG_ROLES.every((role) => {
      const result = run.roles[role].dryRuns.get(id);
      return result !== undefined && !result.error;
    }));
}

/** Records keyed by kind in a stable order: units finish in any order, reports must not. */
function sortedByKey(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function sideCompleteness(data: RoleData): Completeness["baseline"] {
  const results = [...data.dryRuns.values()];
  const failed = results.filter((r) => r.error);
  const judgeErrors: Record<string, number> = {};
  for (const judgements of [data.coverage, data.usefulness, data.junk]) {
    for (const judgement of judgements.values()) if (judgement.error) judgeErrors[judgement.task] = (judgeErrors[judgement.task] ?? 0) + 1;
  }
  return {
    attempted: results.length,
    succeeded: results.length - failed.length,
    failed: failed.length,
    failed_rate: ratio(failed.length, results.length),
    failed_by_kind: sortedByKey(countBy(failed, (r) => r.error!.kind)),
    judge_errors: sortedByKey(judgeErrors),
  };
}

/** What the run log holds against what was planned: failed units per config and kind, paired conversations. */
export function computeCompleteness(run: RunData, paired: string[]): Completeness {
  const conversations = run.start.dataset.conversations.length;
  const side = (role: ConfigRole) => sideCompleteness(run.roles[role]);
  const baseline = side("baseline");
  const candidate = side("candidate");
  return {
    complete: run.end !== undefined,
    conversations,
    paired_conversations: paired.length,
    missing_dry_runs: 2 * conversations - baseline.attempted - candidate.attempted,
    baseline,
    candidate,
  };
}
