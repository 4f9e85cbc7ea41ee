import { dirname, resolve } from "node:path";
import { InterruptedError, RunError } from "../errors.js";
import { noiseShare, selectNoiseSample } from "../metrics/noise-sample.js";
import { CONFIG_ROLES } from "../schema/run-log.js";
import { DryRunPhase } from "./dry-run-phase.js";
import { runJunkPhase } from "./junk-phase.js";
import { openRunFolder, planRun } from "./open-run.js";
import { runPairwisePhase } from "./pairwise-phase.js";
import { displayPath, type BenchOptions } from "./plan.js";
import { runRetrievalPhase } from "./retrieval-phase.js";
import { resumeCommand } from "./resume-command.js";
import { releaseRunDir } from "./run-folder.js";
import { newRunId, runStartRecord, timePhase } from "./run-records.js";
import { RunSession, type Progress } from "./run-session.js";
import { STOP_GRACE_MS, UnitScheduler, unitConcurrency } from "./unit-scheduler.js";
import { pointLatest } from "./write-outputs.js";
import { renderRun, writeRun, type RunOutcome } from "./write-run.js";

export { STOP_GRACE_MS } from "./unit-scheduler.js";
export { renderRun, type Progress, type RunOutcome };

/**
 * The whole job: validate inputs, dry-run both configs on every conversation, judge, simulate
 * retrieval, and derive the report from the run log. Every finished unit is appended to the log
 * before it counts, and the log ends with a run_end saying how the run ended. With `resume`, the
 * units an interrupted run logged are kept and only the rest is done; with `signal`, an abort stops
 * new work, lets units in flight finish (or abandons them after STOP_GRACE_MS), keeps what finished
 * and throws InterruptedError.
 */
export async function runBench(options: BenchOptions, onProgress?: (progress: Progress) => void): Promise<RunOutcome> {
  const plan = await planRun(options);
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const { runDir, resume } = openRunFolder(plan, options, runId);
  if (resume?.finished && !options.retryErrors)
    return writeRun(runDir, resume.fold, plan).finally(() => releaseRunDir(runDir));
  const scheduler = new UnitScheduler(unitConcurrency(plan), options.signal, options.stopGraceMs ?? STOP_GRACE_MS);
  let session: RunSession;
  try {
    session = new RunSession(plan, runDir, resume, scheduler, onProgress);
  } catch (error) {
    releaseRunDir(runDir);
    throw error;
  }
  // A stop logs what was spent at once: a run ended where it stands, before its units in flight finish, keeps it.
  options.signal?.addEventListener("abort", () => session.logUsage(`stopped by ${scheduler.stopReason()}`), {
    once: true,
  });
  // The folder stays claimed until the log is closed and, when the units ran to the end, the reports are written.
  let unitsDone = false;
  try {
    if (!resume) session.append(runStartRecord(plan, runId, startedAt));
    await runPhases(session);
    session.logUsage(session.stopped() ? `stopped by ${scheduler.stopReason()}` : undefined);
    session.end(session.stopped() ? "cancelled" : "success", startedAt);
    unitsDone = true;
  } catch (error) {
    // A stop (cost limit, replay-only miss, a rejected key): let the units in flight finish, keep what they logged.
    await scheduler.settle();
    throw endedByError(session, error, startedAt);
  } finally {
    await session.close();
    if (!unitsDone) releaseRunDir(runDir);
  }
  try {
    await plan.models?.cache.flush();
    const outcome = await writeRun(runDir, session.fold, plan);
    if (session.stopped()) throw stoppedError(outcome, options, scheduler.stopReason());
    // A finished run in the bench's output folder becomes <output>/latest; a run elsewhere (--out) is left alone.
    if (resolve(dirname(runDir)) === resolve(plan.paths.output)) pointLatest(runDir);
    return outcome;
  } finally {
    releaseRunDir(runDir);
  }
}

/** The phases in order: dry runs (each judged as it finishes), junk and pairwise, the retrieval simulation. */
async function runPhases(session: RunSession): Promise<void> {
  const { plan } = session;
  const entries = plan.conversations.entries;
  const noiseSample = selectNoiseSample(
    entries.map((e) => e.id),
    noiseShare(plan.bench.judge, plan.judge.kind),
    plan.bench.seed,
  );
  /**
   * In batch mode with a model judge, every dry run comes first and every judgement after: all the
   * judge's calls of the run (coverage and usefulness, their repeats, junk, pairwise) then go out in
   * one batch round, instead of one round per extraction batch that happens to end first.
   */
  const splitRounds = plan.models !== undefined && plan.bench.batch.enabled && plan.judge.free !== true;
  const dryRuns = new DryRunPhase(session, noiseSample, splitRounds ? 2 : 1);
  const dryRunPhase = timePhase("dry_run", dryRuns.units);
  if (splitRounds) {
    await dryRuns.run("dry_run");
    if (!session.stopped()) await Promise.all([dryRuns.run("judge"), judgeLater(session, noiseSample, true)]);
    session.phases.push(dryRunPhase());
  } else {
    await dryRuns.run("all");
    session.phases.push(dryRunPhase());
    await judgeLater(session, noiseSample, false);
  }
  if (session.stopped()) return;
  const retrieval = await runRetrievalPhase(session);
  if (retrieval) session.phases.push(retrieval);
}

/** Junk on the seeded sample and the pairwise comparisons: they need every dry run, not its judgements. */
async function judgeLater(session: RunSession, noiseSample: ReadonlySet<string>, together: boolean): Promise<void> {
  const paired = session.plan.conversations.entries.filter((entry) =>
    CONFIG_ROLES.every((role) => {
      const logged = session.units.dryRun(role, entry.id);
      return logged !== undefined && !logged.failed;
    }),
  );
  // Junk and pairwise depend on the dry runs alone: a split batch run sends them in one round.
  const done = together
    ? await Promise.all([runJunkPhase(session, paired, noiseSample), runPairwisePhase(session, paired)])
    : [await runJunkPhase(session, paired, noiseSample), await runPairwisePhase(session, paired)];
  for (const phase of done) if (phase) session.phases.push(phase);
}

/** Log how a run that an error ended stopped (its spending, a run_end with status error); return what to throw. */
function endedByError(session: RunSession, error: unknown, startedAt: Date): unknown {
  const limit = error instanceof RunError && session.plan.models?.stopped === error;
  try {
    if (limit) session.logUsage(error.message);
    session.end("error", startedAt);
  } catch {
    // The log itself failed (a full disk): the error that ended the run is the one to report.
  }
  if (!limit) return error;
  return new RunError(
    `${error.message}. The run log is kept in ${displayPath(session.runDir)}; \`extractor-bench report ${displayPath(session.runDir)}\` renders what was done.`,
    {
      cause: error,
    },
  );
}

/** The error a stopped run ends with, once its partial reports are written: what was kept, and how to resume. */
function stoppedError(outcome: RunOutcome, options: BenchOptions, reason: string): InterruptedError {
  const { completeness } = outcome.report;
  const kept = completeness.baseline.attempted + completeness.candidate.attempted;
  return new InterruptedError(
    reason,
    `stopped by ${reason}: ${kept} of ${2 * completeness.conversations} dry runs and their judgements are kept in ${displayPath(outcome.runDir)} ` +
      `(report marked partial). Resume with: ${resumeCommand(options, outcome.runDir)}`,
  );
}
