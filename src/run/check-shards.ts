import { isDeepStrictEqual } from "node:util";
import { UsageError } from "../errors.js";
import type { RunEnd, RunStart, Shard } from "../schema/run-log.js";
import { displayPath } from "../text/display-path.js";
import { changedKeys, RESUMABLE_SETTINGS } from "./resume.js";
import { formatShard, shardRule } from "./shard.js";

/** What merge checks of a shard's run log before reading it through: its first and last records. */
export interface ShardLog {
  runDir: string;
  logPath: string;
  start: RunStart;
  /** The run_end the log ends with; absent when the shard did not finish. */
  end?: RunEnd;
}

const where = (log: ShardLog) => displayPath(log.runDir);

/** Each part of the run_start that every shard must share, with how to name what differs. */
const SAME_EVERYWHERE: Array<{ what: string; differs: (a: RunStart, b: RunStart) => string[] }> = [
  { what: "inputs", differs: (a, b) => changedKeys(a.inputs ?? {}, b.inputs ?? {}) },
  {
    what: "extractor configs",
    differs: (a, b) =>
      (["baseline", "candidate"] as const).filter(
        (role) => !isDeepStrictEqual(a.configs[role].config, b.configs[role].config),
      ),
  },
  {
    what: "bench settings",
    differs: (a, b) =>
      changedKeys(a.bench as Record<string, unknown>, b.bench as Record<string, unknown>).filter(
        (key) => !RESUMABLE_SETTINGS.has(key),
      ),
  },
  { what: "judge", differs: (a, b) => (isDeepStrictEqual(a.judge, b.judge) ? [] : [`${a.judge.id} vs ${b.judge.id}`]) },
  {
    what: "tool",
    differs: (a, b) => [
      ...(a.tool_version === b.tool_version ? [] : [`version ${a.tool_version} vs ${b.tool_version}`]),
      ...(a.format_version === b.format_version ? [] : [`format ${a.format_version} vs ${b.format_version}`]),
    ],
  },
];

function groupedBy<K>(logs: ShardLog[], key: (shard: Shard) => K): Map<K, ShardLog[]> {
  const groups = new Map<K, ShardLog[]>();
  for (const log of logs) groups.set(key(log.start.shard!), [...(groups.get(key(log.start.shard!)) ?? []), log]);
  return groups;
}

function sharding(logs: ShardLog[]): string[] {
  const unsharded = logs.filter((log) => !log.start.shard);
  if (unsharded.length === logs.length) {
    return [`none of ${logs.map(where).join(", ")} is a shard (a run with --shard i/n): there is nothing to merge`];
  }
  if (unsharded.length > 0) {
    return [
      `cannot mix sharded and unsharded runs: ${unsharded.map(where).join(", ")} ${unsharded.length === 1 ? "is" : "are"} not a shard`,
    ];
  }
  const counts = groupedBy(logs, (shard) => shard.count);
  if (counts.size > 1) {
    const split = [...counts].map(([count, group]) => `${group.map(where).join(", ")} into ${count}`);
    return [`the runs split the dataset into different numbers of shards: ${split.join("; ")}`];
  }
  const rules = groupedBy(logs, shardRule);
  if (rules.size > 1) {
    const split = [...rules].map(([rule, group]) => `${group.map(where).join(", ")} by ${rule}`);
    return [
      `the runs split the dataset by different rules: ${split.join("; ")} (a run log without a rule was split by conversation); run every shard with the same version and bench settings`,
    ];
  }
  const count = logs[0]!.start.shard!.count;
  const byIndex = groupedBy(logs, (shard) => shard.index);
  const problems: string[] = [];
  for (const [index, group] of [...byIndex].sort(([a], [b]) => a - b)) {
    if (group.length > 1)
      problems.push(`shard ${formatShard({ index, count })} is given more than once: ${group.map(where).join(", ")}`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) {
    problems.push(
      `shard${missing.length > 1 ? "s" : ""} ${missing.map((index) => formatShard({ index, count })).join(", ")} missing: give the run folders of all ${count} shards`,
    );
  }
  return problems;
}

function sameSettings(logs: ShardLog[]): string[] {
  const [first, ...rest] = logs;
  const problems: string[] = [];
  for (const { what, differs } of SAME_EVERYWHERE) {
    for (const log of rest) {
      const keys = differs(first!.start, log.start);
      if (keys.length > 0)
        problems.push(`${where(log)} and ${where(first!)} differ in their ${what} (${keys.join(", ")})`);
    }
  }
  return problems;
}

function unfinished(logs: ShardLog[]): string[] {
  return logs
    .filter((log) => !log.end)
    .map((log) => {
      const shard = log.start.shard;
      const name = shard ? `shard ${formatShard(shard)}` : "the run";
      const resume = shard
        ? `extractor-bench run --shard ${formatShard(shard)} --resume ${where(log)}`
        : `extractor-bench run --resume ${where(log)}`;
      return `${name} in ${where(log)} did not finish (its log has no run_end): resume it with \`${resume}\` (with the same bench file or flags), then merge`;
    });
}

function refusal(problems: string[]): UsageError {
  return new UsageError(`cannot merge these runs:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/**
 * Refuse shard runs that do not make one run together: not all shards of one split (mixed with
 * unsharded runs, split by different rules or into different counts, a shard twice or missing), different inputs, configs, bench settings (the seed
 * among them), judge or tool, or an unfinished shard. Throws a UsageError naming the run folders and
 * what differs; returns the shards in index order. What the shards hold is checked as they are read
 * (see ShardOverlap).
 */
export function checkShards(logs: ShardLog[]): ShardLog[] {
  const problems = [...sharding(logs), ...sameSettings(logs), ...unfinished(logs)];
  if (problems.length > 0) throw refusal(problems);
  return [...logs].sort((a, b) => a.start.shard!.index - b.start.shard!.index);
}

/** Conversations met in the logs of more than one shard, as merge reads them: such shards do not make one run. */
export class ShardOverlap {
  private readonly owner = new Map<string, ShardLog>();
  private readonly problems: string[] = [];

  /** A dry run of conversation `id` was read from `log`. */
  note(id: string, log: ShardLog): void {
    const other = this.owner.get(id);
    if (other === undefined) this.owner.set(id, log);
    else if (other !== log && this.problems.length < 5)
      this.problems.push(`conversation "${id}" is in both ${where(other)} and ${where(log)}`);
  }

  /** Throw the UsageError naming them (at most five), if any. */
  check(): void {
    if (this.problems.length > 0) throw refusal(this.problems);
  }
}
