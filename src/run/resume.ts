import { existsSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { indexRunLog, type RunData } from "../metrics/run-data.js";
import type { BenchConfig } from "../schema/bench-config.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { ConfigRole, JudgementRecord, Shard } from "../schema/run-log.js";
import { readRunLog, RUN_LOG_FILE, type DroppedLine } from "./run-log.js";
import { checkResumedShard } from "./shard.js";

/** What an interrupted run already holds, and which of its units a resume keeps. */
export interface ResumeState {
  prior: RunData;
  /** Damaged lines left out of the log (a torn tail); their units are redone. */
  dropped: DroppedLine[];
  /** Redo the units recorded as failed. */
  retryErrors: boolean;
}

export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/**
 * Open an interrupted run for resuming: its log read and verified, a torn tail cut off so new records
 * follow the last good one, and its inputs and settings checked against the ones given now (and the
 * shard, when one is given). A run whose inputs changed cannot be resumed: its units would mix two datasets.
 */
export function openResume(runDir: string, bench: BenchConfig, inputs: Record<string, string>, retryErrors: boolean, shard?: Shard): ResumeState {
  const path = join(runDir, RUN_LOG_FILE);
  if (!existsSync(path)) throw new UsageError(`cannot resume ${runDir}: it holds no ${RUN_LOG_FILE}`);
  const read = readRunLog(path, { dropCorrupt: true });
  const start = read.records[0]!;
  if (start.kind !== "run_start") throw new UsageError(`cannot resume ${runDir}: its log does not start with run_start`);
  const changedInputs = changedKeys(start.inputs ?? {}, inputs);
  if (changedInputs.length > 0) {
    throw new UsageError(
      `cannot resume ${runDir}: its inputs changed since it started (${changedInputs.join(", ")}); ` +
        "start a new run, or restore the inputs it was started with",
    );
  }
  const changedSettings = changedKeys(start.bench as Record<string, unknown>, bench as Record<string, unknown>);
  if (changedSettings.length > 0) {
    throw new UsageError(`cannot resume ${runDir}: the bench settings differ from the ones it started with (${changedSettings.join(", ")})`);
  }
  checkResumedShard(runDir, start.shard, shard);
  truncateSync(path, read.validBytes);
  return { prior: indexRunLog(read.records), dropped: read.dropped, retryErrors };
}

/** A dry run the interrupted run logged and the resume keeps. */
export function keptDryRun(state: ResumeState | undefined, role: ConfigRole, id: string): DryRunResult | undefined {
  const result = state?.prior.roles[role].dryRuns.get(id);
  return result && !(state!.retryErrors && result.error) ? result : undefined;
}

/** A judgement the interrupted run logged and the resume keeps (its dry run kept too). */
export function keptJudgement(state: ResumeState | undefined, task: JudgementRecord["task"], role: ConfigRole, id: string): JudgementRecord | undefined {
  const data = state?.prior.roles[role];
  const record = task === "coverage" ? data?.coverage.get(id) : task === "usefulness" ? data?.usefulness.get(id) : data?.junk.get(id);
  return record && !(state!.retryErrors && record.error) ? record : undefined;
}

/** Whether the interrupted run logged the judge-noise repeat of this unit; a resume keeps it. */
export function keptRepeat(state: ResumeState | undefined, role: ConfigRole, id: string): boolean {
  const repeats = state?.prior.roles[role].repeats;
  return repeats !== undefined && repeats.coverage.has(id) && repeats.usefulness.has(id);
}
