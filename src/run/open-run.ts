import { join } from "node:path";
import { inputHashes } from "./input-hashes.js";
import { loadPlan, type BenchOptions, type RunPlan } from "./plan.js";
import { openResume, type ResumeState } from "./resume.js";
import { claimResumedRunDir, claimRunDir, releaseRunDir } from "./run-folder.js";
import { applyShard, shardRule } from "./shard.js";

/** Load and check every input of a run; its warnings go to `onWarning`. */
export async function planRun(options: BenchOptions): Promise<RunPlan> {
  // A resumed run takes the shard its log names (checked against `shard` by openResume).
  const { shard: _requested, ...unsharded } = options;
  const plan = await loadPlan(options.resume ? { ...unsharded, out: options.resume } : options);
  for (const warning of plan.warnings) options.onWarning?.(warning);
  // A provider that falls back from a refused parameter says so as it happens.
  if (plan.models && options.onWarning) plan.models.onWarning = options.onWarning;
  return plan;
}

/** The folder a run writes, claimed, and (resuming) what the interrupted run's log kept. */
export interface OpenedRun {
  runDir: string;
  resume?: ResumeState;
}

/**
 * Claim the run's folder: a new one (`--out`, or `<output.dir>/<run id>`), or the interrupted run's
 * with its log read back. The caller releases it with releaseRunDir.
 */
export function openRunFolder(plan: RunPlan, options: BenchOptions, runId: string): OpenedRun {
  if (!options.resume) {
    const runDir = claimRunDir(plan.out ?? join(plan.paths.output, runId), plan.out !== undefined);
    options.onRunDir?.(runDir);
    return { runDir };
  }
  const runDir = plan.out!;
  // Claimed before the log is read: a killed run still dying is waited for, a live one refused.
  claimResumedRunDir(runDir);
  let resume: ResumeState;
  try {
    resume = openResume(runDir, plan.bench, inputHashes(plan), options.retryErrors ?? false, options.shard);
  } catch (error) {
    releaseRunDir(runDir);
    throw error;
  }
  options.onRunDir?.(runDir);
  if (resume.start.shard) {
    // The rule the log names (none: an older log, split by conversation). Its warnings come after the plan's, told already.
    const told = plan.warnings.length;
    applyShard(plan, { ...resume.start.shard, by: shardRule(resume.start.shard) });
    for (const warning of plan.warnings.slice(told)) options.onWarning?.(warning);
  }
  // The cost limit covers the whole run, the interrupted part included.
  if (plan.models) plan.models.spent = resume.fold.usage?.accounts.reduce((sum, a) => sum + (a.cost_usd ?? 0), 0) ?? 0;
  return { runDir, resume };
}
