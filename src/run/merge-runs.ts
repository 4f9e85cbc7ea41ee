import { existsSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { selectJunkSample } from "../metrics/junk-sample.js";
import { noiseShare, selectNoiseSample } from "../metrics/noise-sample.js";
import { mergeUsage } from "../metrics/run-data.js";
import { CONFIG_ROLES, type ConfigRole, type ModelUsageRecord, type RunEnd, type RunLogRecord, type RunStart } from "../schema/run-log.js";
import { RUN_PHASES, type RunPhase } from "../schema/run-phase.js";
import { displayPath } from "../text/display-path.js";
import { checkShards, type ShardDryRun, type ShardLog } from "./check-shards.js";
import { claimRunDir, newRunId, renderRun, type RunOutcome } from "./run-bench.js";
import { RUN_LOG_FILE, RunLogWriter, scanRunLog } from "./run-log.js";

/** Records written between two flushes of the merged log, so memory holds a bounded batch. */
const FLUSH_EVERY = 1_000;

const earliest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
const countOf = (value: number | unknown[]) => (typeof value === "number" ? value : value.length);

/** One shard's log read as a stream: its run_start, run_end, model usage and a summary of each dry run. */
function readShardLog(runDir: string): ShardLog {
  const logPath = join(runDir, RUN_LOG_FILE);
  if (!existsSync(logPath)) throw new UsageError(`${displayPath(runDir)} holds no ${RUN_LOG_FILE}: expected the run folder of a shard`);
  let start: RunStart | undefined;
  let end: RunEnd | undefined;
  const usages: ModelUsageRecord[] = [];
  const dryRuns = Object.fromEntries(CONFIG_ROLES.map((role) => [role, new Map<string, ShardDryRun>()])) as ShardLog["dryRuns"];
  scanRunLog(logPath, (record) => {
    if (record.kind === "run_start") start ??= record;
    else if (record.kind === "run_end") end = record;
    else if (record.kind === "model_usage") usages.push(record);
    else if (record.kind === "dry_run") dryRuns[record.role].set(record.conversation_id, { candidates: record.result.candidates.length, failed: record.result.error !== undefined });
  });
  return { runDir, logPath, start: start!, ...(end ? { end } : {}), usages, dryRuns };
}

/** The run_start of the whole run: the shards' sizes added up, no `shard`, the earliest start. */
function mergedStart(shards: ShardLog[], runId: string): RunStart {
  const starts = shards.map((shard) => shard.start);
  const { shard: _shard, ...first } = starts[0]!;
  const turns = starts.every((s) => s.dataset.turns !== undefined) ? { turns: starts.reduce((sum, s) => sum + s.dataset.turns!, 0) } : {};
  return {
    ...first,
    run_id: runId,
    started_at: earliest(starts.map((s) => s.started_at)),
    dataset: { path: first.dataset.path, conversations: starts.reduce((sum, s) => sum + countOf(s.dataset.conversations), 0), ...turns },
    golden: { path: first.golden.path, memories: starts.reduce((sum, s) => sum + countOf(s.golden.memories), 0) },
  };
}

/**
 * Which judgements of the shards the whole run would have made. Each shard judged junk on its own
 * rank-prefix of the seeded junk order and repeated judgements on its own noise sample, supersets of
 * the whole run's members in that shard: only the whole run's samples are kept.
 */
function keptByWholeRun(shards: ShardLog[], start: RunStart): { kept: (record: RunLogRecord) => boolean; junkUnits: number } {
  const counts = Object.fromEntries(CONFIG_ROLES.map((role) => [role, new Map<string, number>()])) as Record<ConfigRole, Map<string, number>>;
  const ids: string[] = [];
  const paired: string[] = [];
  for (const shard of shards) {
    for (const id of new Set([...shard.dryRuns.baseline.keys(), ...shard.dryRuns.candidate.keys()])) {
      ids.push(id);
      const sides = CONFIG_ROLES.map((role) => shard.dryRuns[role].get(id));
      if (sides.every((side) => side !== undefined && !side.failed)) paired.push(id);
      CONFIG_ROLES.forEach((role, i) => counts[role].set(id, sides[i]?.candidates ?? 0));
    }
  }
  const { bench, judge } = start;
  // A free (heuristic) judge judges every paired conversation for junk, as a run does. Both samples
  // depend on each id and the seed only, not on the order of the list.
  const junk = selectJunkSample(paired, counts, bench.junk_sample_size, bench.seed, judge.kind === "heuristic");
  const noise = selectNoiseSample(ids, noiseShare(bench.judge, judge.kind), bench.seed);
  const kept = (record: RunLogRecord) => {
    if (record.kind === "run_start" || record.kind === "model_usage" || record.kind === "run_end") return false;
    if (record.kind !== "judgement") return true;
    if (record.repeat !== undefined) return noise.has(record.conversation_id);
    return record.task !== "junk" || junk.has(record.conversation_id);
  };
  return { kept, junkUnits: junk.size * CONFIG_ROLES.length };
}

/**
 * The phases of the whole run: the shards ran side by side, so a phase took as long as its slowest
 * shard; its units add up, but for junk, whose units are the whole run's sample.
 */
function mergedPhases(ends: RunEnd[], junkUnits: number): RunPhase[] {
  return RUN_PHASES.flatMap((name) => {
    const phases = ends.flatMap((end) => end.phases?.filter((phase) => phase.name === name) ?? []);
    if (phases.length === 0) return [];
    const units = name === "junk" ? junkUnits : phases.reduce((sum, phase) => sum + phase.units, 0);
    return [{ name, wall_ms: Math.max(...phases.map((phase) => phase.wall_ms)), units }];
  });
}

/** The model usage of every shard (and of every part of a resumed shard), added up per scope and model. */
function summedUsage(shards: ShardLog[]): ModelUsageRecord | undefined {
  const usages = shards.flatMap((shard) => shard.usages);
  if (usages.length === 0) return undefined;
  const { stopped: _stopped, ...usage } = usages.reduce(mergeUsage);
  return usage;
}

/**
 * `merge RUN_DIR… --out DIR`: combine the run logs of all shards of a sharded run into one run folder
 * and render its reports, which equal an unsharded run's on the same inputs (but for run id, timings,
 * latencies and the model usage, which is what the shards spent). The logs are read as streams, twice:
 * once to check them and draw the whole run's samples, once to copy their records. Refuses shards that
 * do not belong together (see checkShards) before writing anything; `out` must be new or empty.
 */
export async function mergeRuns(runDirs: string[], out: string, cwd: string = process.cwd()): Promise<RunOutcome> {
  if (runDirs.length === 0) throw new UsageError("merge needs the run folders of every shard (RUN_DIR…)");
  const shards = checkShards(runDirs.map((dir) => readShardLog(resolve(cwd, dir))));
  const start = mergedStart(shards, newRunId(new Date()));
  const { kept, junkUnits } = keptByWholeRun(shards, start);
  const ends = shards.map((shard) => shard.end!);
  const finishedAt = latest(ends.map((end) => end.finished_at));
  const phases = mergedPhases(ends, junkUnits);
  const end: RunEnd = {
    kind: "run_end",
    finished_at: finishedAt,
    duration_ms: Math.max(0, Date.parse(finishedAt) - Date.parse(start.started_at)),
    ...(phases.length > 0 ? { phases } : {}),
  };
  const usage = summedUsage(shards);

  const outDir = claimRunDir(resolve(cwd, out), true);
  // Written beside the final name and renamed once whole: a merge cut short leaves no run log.
  const partial = join(outDir, `${RUN_LOG_FILE}.partial`);
  const log = new RunLogWriter(partial);
  try {
    log.append(start);
    let written = 0;
    for (const shard of shards) {
      scanRunLog(shard.logPath, (record) => {
        if (!kept(record)) return;
        log.append(record);
        if (++written % FLUSH_EVERY === 0) log.flush();
      });
    }
    if (usage) log.append(usage);
    log.append(end);
    await log.close();
    renameSync(partial, join(outDir, RUN_LOG_FILE));
  } catch (error) {
    await log.close().catch(() => undefined);
    rmSync(partial, { force: true });
    throw error;
  }
  return renderRun(outDir);
}
