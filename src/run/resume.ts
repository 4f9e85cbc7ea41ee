import { existsSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { RunFold } from "./run-fold.js";
import type { BenchConfig } from "../schema/bench-config.js";
import {
  endsFinishedRun,
  type BatchRecord,
  type ConfigRole,
  type JudgementRecord,
  type RunStart,
  type Shard,
} from "../schema/run-log.js";
import { RUN_LOG_FILE, scanRunLog, type DroppedLine } from "./run-log.js";
import { checkResumedShard } from "./shard.js";
import { type LoggedDryRun, UnitIndex } from "./unit-index.js";

/** What an interrupted run already holds, and which of its units a resume keeps. */
export interface ResumeState {
  start: RunStart;
  /** The interrupted run's records folded, ready to take the resumed run's. */
  fold: RunFold;
  units: UnitIndex;
  /** The interrupted run had finished (a run_end record). */
  finished: boolean;
  /** Damaged lines left out of the log (a torn tail); their units are redone. */
  dropped: DroppedLine[];
  /** Redo the units recorded as failed. */
  retryErrors: boolean;
  /** Provider batches the interrupted run submitted: their calls are polled for, not sent again. */
  batches: BatchRecord[];
}

/** Settings a resume may change (and shards of one run may differ in): how calls are sent, not what is measured. */
export const RESUMABLE_SETTINGS = new Set(["batch"]);

export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/**
 * Open an interrupted run for resuming: its log read (as a stream) and verified, a torn tail cut off
 * so new records follow the last good one, and its inputs and settings checked against the ones given
 * now (and the shard, when one is given). A run whose inputs changed cannot be resumed: its units
 * would mix two datasets.
 */
export function openResume(
  runDir: string,
  bench: BenchConfig,
  inputs: Record<string, string>,
  retryErrors: boolean,
  shard?: Shard,
): ResumeState {
  const path = join(runDir, RUN_LOG_FILE);
  if (!existsSync(path)) throw new UsageError(`cannot resume ${runDir}: it holds no ${RUN_LOG_FILE}`);
  const fold = new RunFold();
  const units = new UnitIndex();
  let start: RunStart | undefined;
  let finished = false;
  const batches: BatchRecord[] = [];
  const scan = scanRunLog(
    path,
    (record, at) => {
      if (!start) {
        if (record.kind !== "run_start")
          throw new UsageError(`cannot resume ${runDir}: its log does not start with run_start`);
        start = record;
        const changedInputs = changedKeys(start.inputs ?? {}, inputs);
        if (changedInputs.length > 0) {
          throw new UsageError(
            `cannot resume ${runDir}: its inputs changed since it started (${changedInputs.join(", ")}); ` +
              "start a new run, or restore the inputs it was started with",
          );
        }
        const changedSettings = changedKeys(
          start.bench as Record<string, unknown>,
          bench as Record<string, unknown>,
        ).filter((key) => !RESUMABLE_SETTINGS.has(key));
        if (changedSettings.length > 0) {
          throw new UsageError(
            `cannot resume ${runDir}: the bench settings differ from the ones it started with (${changedSettings.join(", ")})`,
          );
        }
        checkResumedShard(runDir, start.shard, shard);
      }
      if (record.kind === "run_end" && endsFinishedRun(record)) finished = true;
      if (record.kind === "batch") batches.push(record);
      fold.add(record);
      units.note(record, at);
    },
    { dropCorrupt: true },
  );
  if (scan.validBytes < statSync(path).size) truncateSync(path, scan.validBytes);
  return { start: start!, fold, units, finished, dropped: scan.dropped, retryErrors, batches };
}

/** A dry run the interrupted run logged and the resume keeps. */
export function keptDryRun(state: ResumeState | undefined, role: ConfigRole, id: string): LoggedDryRun | undefined {
  const logged = state?.units.dryRun(role, id);
  return logged && !(state!.retryErrors && logged.failed) ? logged : undefined;
}

/** Whether the interrupted run logged a judgement the resume keeps. */
export function keptJudgement(
  state: ResumeState | undefined,
  task: JudgementRecord["task"],
  role: ConfigRole,
  id: string,
): boolean {
  const failed = state?.units.judgementFailed(task, role, id);
  return failed !== undefined && !(state!.retryErrors && failed);
}

/** Whether the interrupted run logged this task's judge-noise repeat of the unit; a resume keeps it. */
export function keptRepeat(
  state: ResumeState | undefined,
  task: "coverage" | "usefulness",
  role: ConfigRole,
  id: string,
): boolean {
  return state?.units.judgementFailed(task, role, id, 1) !== undefined;
}
