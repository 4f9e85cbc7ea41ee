import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { selectJunkSample } from "../metrics/junk-sample.js";
import { noiseShare, selectNoiseSample } from "../metrics/noise-sample.js";
import { mergeUsage } from "../metrics/run-data.js";
import type { DryRunResult } from "../schema/dry-run.js";
import { CONFIG_ROLES, type ConfigRole, type ModelUsageRecord, type RunEnd, type RunLogRecord, type RunStart } from "../schema/run-log.js";
import { checkShards, type ShardLog } from "./check-shards.js";
import { displayPath } from "../text/display-path.js";
import { claimRunDir, newRunId, renderRun, type RunOutcome } from "./run-bench.js";
import { encodeRecord, readRunLog, RUN_LOG_FILE } from "./run-log.js";
import { writeFileAtomic } from "./write-outputs.js";

const earliest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/**
 * The run_start of the whole run: the shards' conversations back in the dataset's order, their golden
 * memories and labels in that order too, no `shard`, the earliest start.
 */
function mergedStart(starts: RunStart[], runId: string): RunStart {
  const conversations = starts
    .flatMap((start) => start.dataset.conversations)
    .sort((a, b) => a.position! - b.position!)
    .map(({ position: _position, ...conversation }) => conversation);
  const place = new Map(conversations.map((c, i) => [c.id, i]));
  const inOrder = <T extends { conversation_id: string }>(items: T[]) => items.sort((a, b) => place.get(a.conversation_id)! - place.get(b.conversation_id)!);
  const { shard: _shard, labels, ...first } = starts[0]!;
  const start: RunStart = {
    ...first,
    run_id: runId,
    started_at: earliest(starts.map((s) => s.started_at)),
    dataset: { path: first.dataset.path, conversations },
    golden: { path: first.golden.path, memories: inOrder(starts.flatMap((s) => s.golden.memories)) },
  };
  if (labels) start.labels = { path: labels.path, items: inOrder(starts.flatMap((s) => s.labels?.items ?? [])) };
  return start;
}

/** The model usage of every shard (and of every part of a resumed shard), added up per scope and model. */
function summedUsage(records: RunLogRecord[]): ModelUsageRecord | undefined {
  const usages = records.filter((r): r is ModelUsageRecord => r.kind === "model_usage");
  if (usages.length === 0) return undefined;
  const { stopped: _stopped, ...usage } = usages.reduce(mergeUsage);
  return usage;
}

/**
 * One run log from finished shard logs (checked by checkShards, in shard order): what an unsharded run
 * on the same inputs would have logged. Each shard judged junk on its own rank-prefix of the seeded
 * junk order and repeated judgements on its own noise sample, a superset of the whole run's members
 * in that shard: the judgements outside the whole run's samples are dropped. The model usage is what
 * the shards spent, extra judgements included. Pure.
 */
export function mergeShardLogs(shards: ShardLog[], runId: string): RunLogRecord[] {
  const starts = shards.map((shard) => shard.records[0] as RunStart);
  const start = mergedStart(starts, runId);
  const body = shards.flatMap((shard) => shard.records.slice(1)).filter((r) => r.kind === "dry_run" || r.kind === "judgement" || r.kind === "pairwise");
  const dryRuns = Object.fromEntries(CONFIG_ROLES.map((role) => [role, new Map<string, DryRunResult>()])) as Record<ConfigRole, Map<string, DryRunResult>>;
  for (const record of body) if (record.kind === "dry_run") dryRuns[record.role].set(record.conversation_id, record.result);

  const ids = start.dataset.conversations.map((c) => c.id);
  const paired = ids.filter((id) => CONFIG_ROLES.every((role) => dryRuns[role].get(id) !== undefined && !dryRuns[role].get(id)!.error));
  const { bench, judge } = start;
  // A free (heuristic) judge judges every paired conversation for junk, as a run does.
  const junk = selectJunkSample(paired, dryRuns, bench.junk_sample_size, bench.seed, judge.kind === "heuristic");
  const noise = selectNoiseSample(ids, noiseShare(bench.judge, judge.kind), bench.seed);
  const kept = body.filter((record) => {
    if (record.kind !== "judgement") return true;
    if (record.repeat !== undefined) return noise.has(record.conversation_id);
    return record.task !== "junk" || junk.has(record.conversation_id);
  });

  const ends = shards.map((shard) => shard.records.find((r): r is RunEnd => r.kind === "run_end")!);
  const finishedAt = latest(ends.map((end) => end.finished_at));
  const end: RunEnd = { kind: "run_end", finished_at: finishedAt, duration_ms: Math.max(0, Date.parse(finishedAt) - Date.parse(start.started_at)) };
  const usage = summedUsage(shards.flatMap((shard) => shard.records));
  return [start, ...kept, ...(usage ? [usage] : []), end];
}

/**
 * `merge RUN_DIR… --out DIR`: combine the run logs of all shards of a sharded run into one run folder
 * and render its reports, which equal an unsharded run's on the same inputs (but for run id, timings,
 * latencies and the model usage). Refuses shards that do not belong together (see checkShards) before
 * writing anything; `out` must be new or empty.
 */
export async function mergeRuns(runDirs: string[], out: string, cwd: string = process.cwd()): Promise<RunOutcome> {
  if (runDirs.length === 0) throw new UsageError("merge needs the run folders of every shard (RUN_DIR…)");
  const logs: ShardLog[] = runDirs.map((dir) => {
    const runDir = resolve(cwd, dir);
    const path = join(runDir, RUN_LOG_FILE);
    if (!existsSync(path)) throw new UsageError(`${displayPath(runDir)} holds no ${RUN_LOG_FILE}: expected the run folder of a shard`);
    return { runDir, records: readRunLog(path).records };
  });
  const records = mergeShardLogs(checkShards(logs), newRunId(new Date()));
  const outDir = claimRunDir(resolve(cwd, out), true);
  writeFileAtomic(join(outDir, RUN_LOG_FILE), records.map(encodeRecord).join(""));
  return renderRun(outDir);
}
