import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import PQueue from "p-queue";
import { InterruptedError, RunError, UsageError } from "../errors.js";
import { rememberDry } from "../extract/remember-dry.js";
import type { Judge, JudgeInput, PairwiseInput } from "../judge/judge.js";
import { selectJunkSample } from "../metrics/junk-sample.js";
import { groupBy } from "../metrics/numbers.js";
import { noiseShare, selectNoiseSample } from "../metrics/noise-sample.js";
import type { Conversation } from "../schema/conversation.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { BenchReport } from "../schema/report.js";
import {
  CONFIG_ROLES,
  FORMAT_VERSION,
  type ConfigRole,
  type EvidenceTurn,
  type JudgementRecord,
  type ModelUsageRecord,
  type PairwiseRecord,
  type RunStart,
  type Shard,
} from "../schema/run-log.js";
import { displayPath, loadPlan, type BenchOptions, type RunPlan } from "./plan.js";
import { inputHashes } from "./input-hashes.js";
import { keptDryRun, keptJudgement, keptRepeat, openResume, type ResumeState } from "./resume.js";
import { RUN_LOG_FILE, RunLogWriter } from "./run-log.js";
import { reportFromRunLog } from "./report-from-log.js";
import { applyShard } from "./shard.js";
import { TOOL_VERSION } from "./version.js";
import { pointLatest, writeReports, type WrittenFiles } from "./write-outputs.js";

export interface Progress {
  /** dry_run: extraction and judging of each (conversation, config) unit; then the junk sample; then pairwise. */
  phase: "dry_run" | "junk" | "pairwise";
  done: number;
  total: number;
  /** Model calls answered by providers and by the cache so far, and USD spent (0 without models). */
  calls: number;
  cacheHits: number;
  costUsd: number;
}

export interface RunOutcome {
  runDir: string;
  report: BenchReport;
  files: WrittenFiles & { log: string };
  /** The shard the run took, when it took one (`run --shard i/n`). */
  shard?: Shard;
}

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "").replace("T", "-");
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

function prepareRunDir(plan: RunPlan, runId: string): string {
  return claimRunDir(plan.out ?? join(plan.paths.output, runId), plan.out !== undefined);
}

/**
 * Create a run folder to write a new run into. A folder given explicitly (`--out`) must be new or
 * empty; no folder may already hold a run log.
 */
export function claimRunDir(runDir: string, explicit: boolean): string {
  if (existsSync(join(runDir, RUN_LOG_FILE))) {
    const finished = readFileSync(join(runDir, RUN_LOG_FILE), "utf8").includes('"kind":"run_end"');
    throw new UsageError(
      finished
        ? `${runDir} already holds a run (${RUN_LOG_FILE}); choose another --out`
        : `${runDir} holds a run that did not finish: resume it with --resume ${displayPath(runDir)}, or choose another --out`,
    );
  }
  if (existsSync(runDir) && readdirSync(runDir).length > 0 && explicit) {
    throw new UsageError(`${runDir} is not empty; choose an empty or new folder for --out`);
  }
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (error) {
    throw new RunError(`cannot create the run folder ${runDir}: ${(error as Error).message}`, { cause: error });
  }
  return runDir;
}

function runStartRecord(plan: RunPlan, runId: string, startedAt: Date): RunStart {
  return {
    kind: "run_start",
    format_version: FORMAT_VERSION,
    run_id: runId,
    started_at: startedAt.toISOString(),
    tool_version: TOOL_VERSION,
    bench: plan.bench,
    configs: {
      baseline: { path: displayPath(plan.configs.baseline.path), config: plan.configs.baseline.config },
      candidate: { path: displayPath(plan.configs.candidate.path), config: plan.configs.candidate.config },
    },
    dataset: {
      path: displayPath(plan.paths.dataset),
      conversations: plan.conversations.map((c, i) => ({
        id: c.id,
        namespace: c.scope.namespace,
        turns: c.turns.length,
        ...(plan.shard ? { position: plan.shard.positions[i]! } : {}),
      })),
    },
    golden: { path: displayPath(plan.paths.golden), memories: plan.golden },
    ...(plan.labels && plan.paths.labels ? { labels: { path: displayPath(plan.paths.labels), items: plan.labels } } : {}),
    judge: { id: plan.judge.id, kind: plan.judge.kind, description: plan.judge.description },
    inputs: inputHashes(plan),
    ...(plan.shard ? { shard: { index: plan.shard.index, count: plan.shard.count } } : {}),
  };
}

/** A dry run that threw (a bug or an unexpected fault in an extractor) is recorded, not fatal. */
function failedDryRun(conversation: Conversation, error: unknown): DryRunResult {
  return {
    conversation_id: conversation.id,
    candidates: [],
    counts: {
      turns: conversation.turns.length,
      prefiltered_turns: 0,
      extract_calls: 0,
      extracted: 0,
      json_failures: 0,
      resolved_by_stage: { exact: 0, alias: 0, fuzzy: 0, fallback: 0 },
      deduped: 0,
    },
    usage: { input_tokens: 0, output_tokens: 0 },
    latency_ms: 0,
    error: { kind: "extractor_error", message: error instanceof Error ? error.message : String(error) },
  };
}

function missedEvidence(conversation: Conversation, golden: GoldenMemory[], covered: Set<string>): Record<string, EvidenceTurn[]> {
  const turns = new Map(conversation.turns.map((t) => [t.id, t]));
  const out: Record<string, EvidenceTurn[]> = {};
  for (const memory of golden) {
    if (covered.has(memory.id)) continue;
    out[memory.id] = memory.evidence.flatMap((id) => {
      const turn = turns.get(id);
      return turn ? [{ id, speaker: turn.speaker, text: turn.text }] : [];
    });
  }
  return out;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run one judge task; a judge that throws is recorded as a judge error for that unit. A RunError
 * (cost limit, replay-only miss) stops the run instead.
 */
async function judged<T extends JudgementRecord["task"]>(
  judge: Judge,
  task: T,
  base: { role: ConfigRole; conversation_id: string; repeat?: number },
  run: () => Promise<Extract<JudgementRecord, { task: T }>["items"]>,
): Promise<JudgementRecord> {
  try {
    return { kind: "judgement", task, judge: judge.id, ...base, items: await run() } as JudgementRecord;
  } catch (error) {
    if (error instanceof RunError) throw error;
    return { kind: "judgement", task, judge: judge.id, ...base, items: [], error: errorMessage(error) } as JudgementRecord;
  }
}

/** Both configs' candidates compared; a judge failure is recorded for that conversation. */
async function judgedPairwise(judge: Judge, input: PairwiseInput): Promise<PairwiseRecord> {
  const base = { kind: "pairwise" as const, conversation_id: input.conversation.id, judge: judge.id };
  try {
    return { ...base, verdict: await judge.pairwise!(input) };
  } catch (error) {
    if (error instanceof RunError) throw error;
    return { ...base, error: errorMessage(error) };
  }
}

function usageRecord(plan: RunPlan, stopped?: string): ModelUsageRecord | undefined {
  if (!plan.models) return undefined;
  const record: ModelUsageRecord = { kind: "model_usage", accounts: plan.models.usage(), max_cost_usd: plan.models.options.maxCostUsd ?? null };
  if (stopped) record.stopped = stopped;
  return record;
}

/** How long units in flight may take to finish once the run is stopped, before they are abandoned. */
export const STOP_GRACE_MS = 5_000;

/** Wait for `work`, or stop waiting `ms` after `signal` aborts. */
async function untilDoneOrGrace(work: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) {
    await work;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolveGrace) => {
    const arm = () => (timer = setTimeout(resolveGrace, STOP_GRACE_MS));
    if (signal.aborted) arm();
    else signal.addEventListener("abort", arm, { once: true });
  });
  try {
    await Promise.race([work, grace]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The whole job: validate inputs, dry-run both configs on every conversation, judge, and derive the
 * report from the run log. Every finished unit is appended to the log before it counts. With
 * `resume`, the units an interrupted run logged are kept and only the rest is done; with `signal`,
 * an abort stops new work, lets units in flight finish (or abandons them after STOP_GRACE_MS), keeps
 * what finished and throws InterruptedError.
 */
export async function runBench(options: BenchOptions, onProgress?: (progress: Progress) => void): Promise<RunOutcome> {
  // A resumed run takes the shard its log names (checked against --shard by openResume).
  const { shard: requestedShard, ...unsharded } = options;
  const plan = await loadPlan(options.resume ? { ...unsharded, out: options.resume } : options);
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  let resume: ResumeState | undefined;
  let runDir: string;
  if (options.resume) {
    runDir = plan.out!;
    resume = openResume(runDir, plan.bench, inputHashes(plan), options.retryErrors ?? false, requestedShard);
    if (resume.prior.start.shard) applyShard(plan, resume.prior.start.shard);
    if (resume.prior.end && !options.retryErrors) return withShard(await renderRun(runDir), plan);
    // The cost limit covers the whole run, the interrupted part included.
    if (plan.models) plan.models.spent = resume.prior.usage?.accounts.reduce((sum, a) => sum + (a.cost_usd ?? 0), 0) ?? 0;
  } else {
    runDir = prepareRunDir(plan, runId);
  }
  const log = new RunLogWriter(join(runDir, RUN_LOG_FILE));
  const signal = options.signal;
  // Once stopped, units still in flight may finish after the log closed: their records are dropped.
  let open = true;
  const append = (record: Parameters<RunLogWriter["append"]>[0]) => {
    if (open) log.append(record);
  };
  const stopped = () => signal?.aborted === true;
  const queue = new PQueue({ concurrency: plan.bench.concurrency });
  const report = (phase: Progress["phase"], done: number, total: number) =>
    onProgress?.({ phase, done, total, ...(plan.models?.totals() ?? { calls: 0, cacheHits: 0, costUsd: 0 }) });
  try {
    if (!resume) append(runStartRecord(plan, runId, startedAt));
    const goldenByConversation = groupBy(plan.golden, (memory) => memory.conversation_id);
    const results: Record<ConfigRole, Map<string, DryRunResult>> = { baseline: new Map(), candidate: new Map() };
    const inputFor = (role: ConfigRole, conversation: Conversation): JudgeInput => ({
      conversation,
      golden: goldenByConversation.get(conversation.id) ?? [],
      candidates: results[role].get(conversation.id)?.candidates ?? [],
    });
    /** Keep the interrupted run's record of a judgement, or judge and log it. */
    const judgeOnce = async (
      task: JudgementRecord["task"],
      base: { role: ConfigRole; conversation_id: string },
      reuse: boolean,
      make: () => Promise<JudgementRecord>,
    ): Promise<JudgementRecord | undefined> => (reuse && keptJudgement(resume, task, base.role, base.conversation_id) ? undefined : make());
    const ids = plan.conversations.map((c) => c.id);
    const noiseSample = selectNoiseSample(ids, noiseShare(plan.bench.judge, plan.judge.kind), plan.bench.seed);

    const tasks: Promise<void>[] = [];
    const total = plan.conversations.length * CONFIG_ROLES.length;
    let done = 0;
    for (const conversation of plan.conversations) {
      for (const role of CONFIG_ROLES) {
        tasks.push(queue.add(async () => {
          if (stopped()) return;
          const base = { role, conversation_id: conversation.id };
          const kept = keptDryRun(resume, role, conversation.id);
          const result =
            kept ??
            (await rememberDry(conversation, plan.configs[role].config, plan.stages[role]).catch((error: unknown) => {
              if (error instanceof RunError) throw error;
              return failedDryRun(conversation, error);
            }));
          results[role].set(conversation.id, result);
          if (!kept) append({ kind: "dry_run", ...base, result });
          const input = inputFor(role, conversation);
          const coverage = await judgeOnce("coverage", base, kept !== undefined, () => judged(plan.judge, "coverage", base, () => plan.judge.coverage(input)));
          if (coverage?.task === "coverage") {
            const covered = new Set(coverage.items.filter((v) => v.covered).map((v) => v.golden_id));
            coverage.missed_evidence = coverage.error ? {} : missedEvidence(conversation, input.golden, covered);
          }
          if (coverage) append(coverage);
          const usefulness = await judgeOnce("usefulness", base, kept !== undefined, () => judged(plan.judge, "usefulness", base, () => plan.judge.usefulness(input)));
          if (usefulness) append(usefulness);
          if (noiseSample.has(conversation.id) && !(kept && keptRepeat(resume, role, conversation.id))) {
            // The judge-noise repeat: same prompts, repeat index 1, so the cache cannot answer it.
            const repeat = { ...base, repeat: 1 };
            append(await judged(plan.judge, "coverage", repeat, () => plan.judge.coverage(input, { repeat: 1 })));
            append(await judged(plan.judge, "usefulness", repeat, () => plan.judge.usefulness(input, { repeat: 1 })));
          }
          report("dry_run", ++done, total);
        }));
      }
    }
    await untilDoneOrGrace(Promise.all(tasks), signal);

    // Junk: both configs judged on the same seeded sample of conversations (every one with a free judge).
    const paired = plan.conversations.filter((c) => CONFIG_ROLES.every((role) => {
      const result = results[role].get(c.id);
      return result !== undefined && !result.error;
    }));
    if (!stopped()) {
      const sample = selectJunkSample(paired.map((c) => c.id), results, plan.bench.junk_sample_size, plan.bench.seed, plan.judge.free === true);
      const junkUnits = paired.flatMap((conversation) => {
        const drawn = sample.get(conversation.id);
        return drawn ? CONFIG_ROLES.map((role) => ({ role, conversation, indexes: drawn[role] })) : [];
      });
      let junkDone = 0;
      const junkTasks = junkUnits.map(({ role, conversation, indexes }) =>
        queue.add(async () => {
          if (stopped()) return;
          const base = { role, conversation_id: conversation.id };
          const reuse = keptDryRun(resume, role, conversation.id) !== undefined;
          const record = await judgeOnce("junk", base, reuse, () => judged(plan.judge, "junk", base, () => plan.judge.junk(inputFor(role, conversation), indexes)));
          if (record) append(record);
          report("junk", ++junkDone, junkUnits.length);
        }),
      );
      await untilDoneOrGrace(Promise.all(junkTasks), signal);
    }
    if (!stopped() && plan.judge.pairwise) {
      let pairDone = 0;
      const pairTasks = paired.map((conversation) =>
        queue.add(async () => {
          if (stopped()) return;
          if (!resume?.prior.pairwise.has(conversation.id)) {
            append(await judgedPairwise(plan.judge, { conversation, baseline: inputFor("baseline", conversation).candidates, candidate: inputFor("candidate", conversation).candidates }));
          }
          report("pairwise", ++pairDone, paired.length);
        }),
      );
      await untilDoneOrGrace(Promise.all(pairTasks), signal);
    }
    const usage = usageRecord(plan, stopped() ? `stopped by ${String(signal!.reason ?? "SIGINT")}` : undefined);
    if (usage) append(usage);
    if (!stopped()) {
      const finishedAt = new Date();
      const began = resume ? new Date(resume.prior.start.started_at) : startedAt;
      append({ kind: "run_end", finished_at: finishedAt.toISOString(), duration_ms: finishedAt.getTime() - began.getTime() });
    }
  } catch (error) {
    // A stop (cost limit, replay-only miss, a rejected key): let the units in flight finish, keep what they logged.
    await untilDoneOrGrace(queue.onIdle(), signal);
    if (error instanceof RunError && plan.models?.stopped === error) {
      const usage = usageRecord(plan, error.message);
      if (usage) append(usage);
      throw new RunError(`${error.message}. The run log is kept in ${displayPath(runDir)}; \`extractor-bench report ${displayPath(runDir)}\` renders what was done.`, { cause: error });
    }
    throw error;
  } finally {
    open = false;
    log.close();
  }
  if (stopped()) {
    const outcome = await renderRun(runDir);
    const { completeness } = outcome.report;
    const kept = completeness.baseline.attempted + completeness.candidate.attempted;
    throw new InterruptedError(
      String(signal!.reason ?? "SIGINT"),
      `stopped by ${String(signal!.reason ?? "SIGINT")}: ${kept} of ${2 * completeness.conversations} dry runs and their judgements are kept in ${displayPath(runDir)} ` +
        `(report marked partial). Resume with: extractor-bench run ${options.benchFile ? `${options.benchFile} ` : ""}--resume ${displayPath(runDir)}`,
    );
  }
  const outcome = withShard(await renderRun(runDir), plan);
  // A finished run in the bench's output folder becomes <output>/latest; a run elsewhere (--out) is left alone.
  if (resolve(dirname(runDir)) === resolve(plan.paths.output)) pointLatest(runDir);
  return outcome;
}

function withShard(outcome: RunOutcome, plan: RunPlan): RunOutcome {
  return plan.shard ? { ...outcome, shard: { index: plan.shard.index, count: plan.shard.count } } : outcome;
}

/** Re-derive every report of a run folder from its run log alone. */
export async function renderRun(runDir: string): Promise<RunOutcome> {
  const logPath = join(runDir, RUN_LOG_FILE);
  const report = await reportFromRunLog(logPath);
  const files = await writeReports(runDir, report);
  return { runDir, report, files: { ...files, log: logPath } };
}
