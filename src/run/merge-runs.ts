import { closeSync, existsSync, openSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { selectJunkSample } from "../metrics/junk-sample.js";
import { noiseShare, selectNoiseSample } from "../metrics/noise-sample.js";
import { mergeUsage, RunFold } from "../metrics/run-data.js";
import { buildReport } from "../report/build-report.js";
import { CONFIG_ROLES, type ConfigRole, type ModelUsageRecord, type RunEnd, type RunLogRecord, type RunStart } from "../schema/run-log.js";
import { RUN_PHASES, type RunPhase } from "../schema/run-phase.js";
import { displayPath } from "../text/display-path.js";
import { checkShards, ShardOverlap, type ShardLog } from "./check-shards.js";
import { claimRunDir, newRunId, type RunOutcome } from "./run-bench.js";
import { readBytesAt } from "../load/line-reader.js";
import { decodeRecordLine, readRunLogBounds, RUN_LOG_FILE, RunLogWriter, scanRunLog, type RecordAt } from "./run-log.js";
import { writeReports } from "./write-outputs.js";

/** Records written between two flushes of the merged log, so memory holds a bounded batch. */
const FLUSH_EVERY = 1_000;

const earliest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
const countOf = (value: number | unknown[]) => (typeof value === "number" ? value : value.length);

/** A shard's run folder, checked by its log's first and last records only. */
function readShardHeader(runDir: string): ShardLog {
  const logPath = join(runDir, RUN_LOG_FILE);
  if (!existsSync(logPath)) throw new UsageError(`${displayPath(runDir)} holds no ${RUN_LOG_FILE}: expected the run folder of a shard`);
  return { runDir, logPath, ...readRunLogBounds(logPath) };
}

/** A dry run as the whole run's samples need it: how many candidates, whether it failed. */
interface DryRunSummary {
  candidates: number;
  failed: boolean;
}

/** What the shards' logs hold, gathered as they are read: each conversation's dry runs (the last record of a unit, as a resume reads it) and model usage. */
interface ShardContents {
  dryRuns: Map<string, Partial<Record<ConfigRole, DryRunSummary>>>;
  usages: ModelUsageRecord[];
}

/** A judgement kept by its place in a shard's log until the whole run's samples are known. */
interface HeldJudgement {
  shard: ShardLog;
  at: RecordAt;
  id: string;
  repeat: boolean;
  /** A junk judgement: its repeat belongs to the whole run's junk sample as well as to its noise sample. */
  junk: boolean;
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
 * Which of the held judgements the whole run would have made. Each shard judged junk on its own
 * rank-prefix of the seeded junk order and repeated judgements on its own noise sample, supersets of
 * the whole run's members in that shard: only the whole run's samples are kept.
 */
function keptByWholeRun(contents: ShardContents, start: RunStart): { kept: (held: HeldJudgement) => boolean; junkUnits: number } {
  const counts = Object.fromEntries(CONFIG_ROLES.map((role) => [role, new Map<string, number>()])) as Record<ConfigRole, Map<string, number>>;
  const ids: string[] = [];
  const paired: string[] = [];
  for (const [id, sides] of contents.dryRuns) {
    ids.push(id);
    if (CONFIG_ROLES.every((role) => sides[role] !== undefined && !sides[role].failed)) paired.push(id);
    for (const role of CONFIG_ROLES) counts[role].set(id, sides[role]?.candidates ?? 0);
  }
  const { bench, judge } = start;
  // A free (heuristic) judge judges every paired conversation for junk, as a run does. Both samples
  // depend on each id and the seed only, not on the order of the list.
  const junk = selectJunkSample(paired, counts, bench.junk_sample_size, bench.seed, judge.kind === "heuristic");
  const noise = selectNoiseSample(ids, noiseShare(bench.judge, judge.kind), bench.seed);
  return { kept: (held) => (held.repeat ? noise.has(held.id) && (!held.junk || junk.has(held.id)) : junk.has(held.id)), junkUnits: junk.size * CONFIG_ROLES.length };
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
function summedUsage(usages: ModelUsageRecord[]): ModelUsageRecord | undefined {
  if (usages.length === 0) return undefined;
  const { stopped: _stopped, ...usage } = usages.reduce(mergeUsage);
  return usage;
}

/**
 * Copy each shard's records into the merged log and the fold, reading every log once. Run-level
 * records are left out (the merged run has its own), and so are junk judgements and judge-noise
 * repeats, which are held by their place until the whole run's samples are known (see keptByWholeRun).
 */
function copyShards(shards: ShardLog[], add: (record: RunLogRecord, line: string) => void): { contents: ShardContents; held: HeldJudgement[] } {
  const contents: ShardContents = { dryRuns: new Map(), usages: [] };
  const held: HeldJudgement[] = [];
  const overlap = new ShardOverlap();
  for (const shard of shards) {
    scanRunLog(shard.logPath, (record, at, line) => {
      switch (record.kind) {
        case "run_start":
        case "run_end":
          return;
        case "model_usage":
          contents.usages.push(record);
          return;
        case "dry_run": {
          overlap.note(record.conversation_id, shard);
          let sides = contents.dryRuns.get(record.conversation_id);
          if (!sides) contents.dryRuns.set(record.conversation_id, (sides = {}));
          sides[record.role] = { candidates: record.result.candidates.length, failed: record.result.error !== undefined };
          break;
        }
        case "judgement":
          if (record.repeat !== undefined || record.task === "junk") {
            held.push({ shard, at, id: record.conversation_id, repeat: record.repeat !== undefined, junk: record.task === "junk" });
            return;
          }
          break;
      }
      add(record, line);
    });
  }
  overlap.check();
  return { contents, held };
}

/** Bytes read at once when reading held judgements back: they sit spread through their log, in order. */
const READ_BACK_WINDOW = 1 << 20;

/**
 * The held judgements the whole run would have made, read back from their shard's log in log order
 * and added. They are read through a window that moves forward over the log, a few reads per megabyte
 * rather than one per record.
 */
function addKept(held: HeldJudgement[], kept: (held: HeldJudgement) => boolean, add: (record: RunLogRecord, line: string) => void): void {
  let shard: ShardLog | undefined;
  let fd: number | undefined;
  let window: Buffer = Buffer.alloc(0);
  let windowStart = 0;
  try {
    for (const judgement of held) {
      if (!kept(judgement)) continue;
      if (judgement.shard !== shard) {
        if (fd !== undefined) closeSync(fd);
        shard = judgement.shard;
        fd = openSync(shard.logPath, "r");
        window = Buffer.alloc(0);
      }
      const { offset, bytes } = judgement.at;
      if (offset < windowStart || offset + bytes > windowStart + window.length) {
        windowStart = offset;
        window = readBytesAt(fd!, offset, Math.max(bytes, READ_BACK_WINDOW));
      }
      const line = window.subarray(offset - windowStart, offset - windowStart + bytes).toString("utf8");
      add(decodeRecordLine(line, shard.logPath, offset), line);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * `merge RUN_DIR… --out DIR`: combine the run logs of all shards of a sharded run into one run folder
 * and render its reports, which equal an unsharded run's on the same inputs (but for run id, timings,
 * latencies and the model usage, which is what the shards spent). Refuses shards that do not belong
 * together (see checkShards) before writing anything. Each shard's log is read once, as a stream: its
 * records are copied as written (checksums included) into the merged log, which holds every record
 * of the whole run and nothing else, and folded into the report on the way, so merging costs about
 * what reading the logs does. `out` must be new or empty; a merge that fails leaves no run log there.
 */
export async function mergeRuns(runDirs: string[], out: string, cwd: string = process.cwd()): Promise<RunOutcome> {
  if (runDirs.length === 0) throw new UsageError("merge needs the run folders of every shard (RUN_DIR…)");
  const shards = checkShards(runDirs.map((dir) => readShardHeader(resolve(cwd, dir))));
  const start = mergedStart(shards, newRunId(new Date()));
  const ends = shards.map((shard) => shard.end!);
  const finishedAt = latest(ends.map((end) => end.finished_at));

  const target = resolve(cwd, out);
  const existed = existsSync(target);
  const outDir = claimRunDir(target, true);
  // Written beside the final name and renamed once whole: a merge cut short leaves no run log.
  const partial = join(outDir, `${RUN_LOG_FILE}.partial`);
  const log = new RunLogWriter(partial);
  const fold = new RunFold();
  let written = 0;
  const add = (record: RunLogRecord, line?: string) => {
    if (line === undefined) log.append(record);
    else log.appendLine(`${line}\n`);
    fold.add(record);
    if (++written % FLUSH_EVERY === 0) log.flush();
  };
  try {
    add(start);
    const { contents, held } = copyShards(shards, add);
    const { kept, junkUnits } = keptByWholeRun(contents, start);
    addKept(held, kept, add);
    const usage = summedUsage(contents.usages);
    if (usage) add(usage);
    const phases = mergedPhases(ends, junkUnits);
    add({
      kind: "run_end",
      finished_at: finishedAt,
      duration_ms: Math.max(0, Date.parse(finishedAt) - Date.parse(start.started_at)),
      ...(phases.length > 0 ? { phases } : {}),
    });
    await log.close();
    renameSync(partial, join(outDir, RUN_LOG_FILE));
  } catch (error) {
    await log.close().catch(() => undefined);
    rmSync(existed ? partial : outDir, { recursive: true, force: true });
    throw error;
  }
  const report = buildReport(fold.finish());
  const files = await writeReports(outDir, report);
  return { runDir: outDir, report, files: { ...files, log: join(outDir, RUN_LOG_FILE) } };
}
