import { existsSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { selectJunkSample } from "../metrics/junk-sample.js";
import { noiseShare, selectNoiseSample } from "../metrics/noise-sample.js";
import { mergeUsage } from "../metrics/merge-usage.js";
import { RunFold } from "./run-fold.js";
import { buildReport } from "../report/build-report.js";
import {
  CONFIG_ROLES,
  type ConfigRole,
  type ModelUsageRecord,
  type RunEnd,
  type RunLogRecord,
  type RunStart,
} from "../schema/run-log.js";
import { RUN_PHASES, type RunPhase } from "../schema/run-phase.js";
import { displayPath } from "../text/display-path.js";
import { checkShards, ShardOverlap, type ShardLog } from "./check-shards.js";
import { BulkWriter, SpanReader } from "./log-spans.js";
import { MergedRetrieval } from "./merge-retrieval.js";
import { claimRunDir } from "./run-folder.js";
import {
  decodeRecordLine,
  encodeRecord,
  readRunLogBounds,
  RUN_LOG_FILE,
  scanRunLog,
  type RecordAt,
} from "./run-log.js";
import { newRunId } from "./run-records.js";
import { writeReports } from "./write-outputs.js";
import type { RunOutcome } from "./write-run.js";

const earliest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** A shard's run folder, checked by its log's first and last records only. */
function readShardHeader(runDir: string): ShardLog {
  const logPath = join(runDir, RUN_LOG_FILE);
  if (!existsSync(logPath))
    throw new UsageError(`${displayPath(runDir)} holds no ${RUN_LOG_FILE}: expected the run folder of a shard`);
  return { runDir, logPath, ...readRunLogBounds(logPath) };
}

const NEWLINE = Buffer.from("\n");

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
  return {
    ...first,
    run_id: runId,
    started_at: earliest(starts.map((s) => s.started_at)),
    dataset: {
      path: first.dataset.path,
      conversations: starts.reduce((sum, s) => sum + s.dataset.conversations, 0),
      turns: starts.reduce((sum, s) => sum + s.dataset.turns, 0),
    },
    golden: { path: first.golden.path, memories: starts.reduce((sum, s) => sum + s.golden.memories, 0) },
  };
}

/**
 * Which of the held judgements the whole run would have made. Each shard judged junk on its own
 * rank-prefix of the seeded junk order and repeated judgements on its own noise sample, supersets of
 * the whole run's members in that shard: only the whole run's samples are kept.
 */
function keptByWholeRun(
  contents: ShardContents,
  start: RunStart,
): { kept: (held: HeldJudgement) => boolean; junkUnits: number } {
  const counts = Object.fromEntries(CONFIG_ROLES.map((role) => [role, new Map<string, number>()])) as Record<
    ConfigRole,
    Map<string, number>
  >;
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
  return {
    kept: (held) => (held.repeat ? noise.has(held.id) && (!held.junk || junk.has(held.id)) : junk.has(held.id)),
    junkUnits: junk.size * CONFIG_ROLES.length,
  };
}

/**
 * The phases of the whole run: the shards ran side by side, so a phase took as long as its slowest
 * shard (the retrieval phase, plus what the merge measured again); its units add up, but for junk,
 * whose units are the whole run's sample.
 */
function mergedPhases(ends: RunEnd[], junkUnits: number, remeasuredMs: number): RunPhase[] {
  return RUN_PHASES.flatMap((name) => {
    const phases = ends.flatMap((end) => end.phases?.filter((phase) => phase.name === name) ?? []);
    if (phases.length === 0) return [];
    const units = name === "junk" ? junkUnits : phases.reduce((sum, phase) => sum + phase.units, 0);
    const extra = name === "retrieval" ? remeasuredMs : 0;
    return [{ name, wall_ms: Math.max(...phases.map((phase) => phase.wall_ms)) + extra, units }];
  });
}

/** The model usage of every shard (and of every part of a resumed shard), added up per scope and model. */
function summedUsage(usages: ModelUsageRecord[]): ModelUsageRecord | undefined {
  if (usages.length === 0) return undefined;
  const { stopped: _stopped, ...usage } = usages.reduce(mergeUsage);
  return usage;
}

/**
 * Fold each shard's records and copy them into the merged log as written (checksums included), byte
 * for byte, reading every log once. Run-level records are left out (the merged run has its own), and
 * so are junk judgements and judge-noise repeats, which are held by their place until the whole run's
 * samples are known (see keptByWholeRun), and retrieval records, held until the whole run's
 * normalization is known (see MergedRetrieval). Records of a log this version of the bench wrote are taken
 * as their checksum vouches for them (see trustOwnRecords).
 */
function copyShards(
  shards: ShardLog[],
  fold: RunFold,
  log: BulkWriter,
  retrieval: MergedRetrieval,
): { contents: ShardContents; held: HeldJudgement[] } {
  const contents: ShardContents = { dryRuns: new Map(), usages: [] };
  const held: HeldJudgement[] = [];
  const overlap = new ShardOverlap();
  for (const shard of shards) {
    const scanned = (record: RunLogRecord, at: RecordAt, _line: string, bytes: Buffer) => {
      if (retrieval.note(shard, record, at)) return;
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
          sides[record.role] = {
            candidates: record.result.candidates.length,
            failed: record.result.error !== undefined,
          };
          break;
        }
        case "judgement":
          if (record.repeat !== undefined || record.task === "junk") {
            held.push({
              shard,
              at,
              id: record.conversation_id,
              repeat: record.repeat !== undefined,
              junk: record.task === "junk",
            });
            return;
          }
          break;
      }
      fold.add(record);
      log.write(bytes);
      log.write(NEWLINE);
    };
    scanRunLog(shard.logPath, scanned, { trustOwnRecords: true });
  }
  overlap.check();
  return { contents, held };
}

/**
 * The held judgements the whole run would have made, read back from their shard's log in log order,
 * folded and written to the merged log as they were written.
 */
function addKept(held: HeldJudgement[], kept: (held: HeldJudgement) => boolean, fold: RunFold, log: BulkWriter): void {
  let reader: SpanReader | undefined;
  try {
    for (const judgement of held) {
      if (!kept(judgement)) continue;
      if (reader?.path !== judgement.shard.logPath) {
        reader?.close();
        reader = new SpanReader(judgement.shard.logPath);
      }
      const bytes = reader.read(judgement.at);
      fold.add(decodeRecordLine(bytes.toString("utf8"), reader.path, judgement.at.offset));
      log.write(bytes);
      log.write(NEWLINE);
    }
  } finally {
    reader?.close();
  }
}

/**
 * `merge RUN_DIR… --out DIR`: combine the run logs of all shards of a sharded run into one run folder
 * and render its reports, which equal an unsharded run's on the same inputs (but for run id, timings,
 * latencies and the model usage, which is what the shards spent). Refuses shards that do not belong
 * together (see checkShards) before writing anything. Each shard's log is read once, as a stream: its
 * records are folded into the report and copied byte for byte (checksums included) into the merged
 * log, which holds every record of the whole run and nothing else; only the junk and judge-noise
 * judgements of the whole run's samples and the retrieval records are read again, by their place.
 * Merging costs about what reading the logs does, and for a scope whose shard simulated retrieval with
 * a normalization other than the whole run's, what measuring its `coexist_normalized` store again does
 * (see MergedRetrieval; relative input paths resolve against `cwd`). `out` must be new or empty; a
 * merge that fails leaves no run log there.
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
  const fold = new RunFold();
  let log: BulkWriter | undefined;
  try {
    log = new BulkWriter(partial);
    const add = (record: RunLogRecord) => {
      fold.add(record);
      log!.write(encodeRecord(record));
    };
    add(start);
    const retrieval = new MergedRetrieval();
    const { contents, held } = copyShards(shards, fold, log, retrieval);
    const { kept, junkUnits } = keptByWholeRun(contents, start);
    addKept(held, kept, fold, log);
    const remeasuredMs = await retrieval.finish(fold, start, log, cwd);
    const usage = summedUsage(contents.usages);
    if (usage) add(usage);
    const phases = mergedPhases(ends, junkUnits, remeasuredMs);
    add({
      kind: "run_end",
      finished_at: finishedAt,
      duration_ms: Math.max(0, Date.parse(finishedAt) - Date.parse(start.started_at)),
      ...(phases.length > 0 ? { phases } : {}),
      status: "success",
    });
    log.close();
    log = undefined;
    renameSync(partial, join(outDir, RUN_LOG_FILE));
  } catch (error) {
    log?.abandon();
    rmSync(existed ? partial : outDir, { recursive: true, force: true });
    throw error;
  }
  const report = buildReport(fold.finish());
  const files = await writeReports(outDir, report);
  return { runDir: outDir, report, files: { ...files, log: join(outDir, RUN_LOG_FILE) } };
}
