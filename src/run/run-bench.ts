import { closeSync, openSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setImmediate as nextMacrotask } from "node:timers/promises";
import PQueue from "p-queue";
import { InterruptedError, RunError } from "../errors.js";
import { rememberDry } from "../extract/remember-dry.js";
import type { Judge, JudgeInput, PairwiseInput } from "../judge/judge.js";
import { nextJunkSampleSizeOf, selectJunkSample } from "../metrics/junk-sample.js";
import { countFields, alignToGolden } from "../metrics/field-alignment.js";
import { RunFold } from "../metrics/run-data.js";
import type { ConversationEntry } from "../load/load-inputs.js";
import type { Candidate } from "../schema/candidate.js";
import type { CoverageVerdict, JunkVerdict } from "../schema/verdict.js";
import { noiseShare, selectNoiseSample } from "../metrics/noise-sample.js";
import type { Conversation } from "../schema/conversation.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { RunPhase } from "../schema/run-phase.js";
import {
  CONFIG_ROLES,
  FORMAT_VERSION,
  type ConfigRole,
  type EvidenceTurn,
  type JudgementRecord,
  type RunLogRecord,
  type ModelUsageRecord,
  type PairwiseRecord,
  type RunStart,
  type Shard,
} from "../schema/run-log.js";
import { displayPath, loadPlan, type BenchOptions, type RunPlan } from "./plan.js";
import { inputHashes } from "./input-hashes.js";
import { keptDryRun, keptJudgement, keptRepeat, openResume, UnitIndex, type ResumeState } from "./resume.js";
import { readRecordAt, RUN_LOG_FILE, RunLogWriter } from "./run-log.js";
import { claimResumedRunDir, claimRunDir, releaseRunDir, resumeCommand } from "./run-folder.js";

export { claimRunDir } from "./run-folder.js";
import { applyShard } from "./shard.js";
import { runRetrievalPhase } from "./retrieval-phase.js";
import { TOOL_VERSION } from "../version.js";
import { pointLatest } from "./write-outputs.js";
import { renderRun, writeRun, type RunOutcome } from "./write-run.js";

export { renderRun, type RunOutcome };

export interface Progress {
  /** dry_run: extraction and judging of each (conversation, config) unit; then the junk sample; then pairwise; then the retrieval simulation (one unit per scope). */
  phase: "dry_run" | "junk" | "pairwise" | "retrieval";
  done: number;
  total: number;
  /** Model calls answered by providers and by the cache so far, and USD spent (0 without models). */
  calls: number;
  cacheHits: number;
  costUsd: number;
}

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "").replace("T", "-");
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

function prepareRunDir(plan: RunPlan, runId: string): string {
  return claimRunDir(plan.out ?? join(plan.paths.output, runId), plan.out !== undefined);
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
    dataset: { path: displayPath(plan.paths.dataset), conversations: plan.conversations.size, turns: plan.conversations.turns },
    golden: { path: displayPath(plan.paths.golden), memories: plan.golden.count },
    ...(plan.labels && plan.paths.labels ? { labels: { path: displayPath(plan.paths.labels), items: plan.labels } } : {}),
    judge: { id: plan.judge.id, kind: plan.judge.kind, description: plan.judge.description },
    inputs: inputHashes(plan),
    ...(plan.shard ? { shard: plan.shard } : {}),
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

/** What a coverage record carries for the report: the missed memories' text and evidence turns, and the field agreement. */
function coverageDetails(input: JudgeInput, items: CoverageVerdict[]): Pick<Extract<JudgementRecord, { task: "coverage" }>, "missed_evidence" | "missed_text" | "fields"> {
  const covered = new Set(items.filter((v) => v.covered).map((v) => v.golden_id));
  const turns = new Map(input.conversation.turns.map((t) => [t.id, t]));
  const missed_evidence: Record<string, EvidenceTurn[]> = {};
  const missed_text: Record<string, string> = {};
  for (const memory of input.golden) {
    if (covered.has(memory.id)) continue;
    missed_text[memory.id] = memory.text;
    missed_evidence[memory.id] = memory.evidence.flatMap((id) => {
      const turn = turns.get(id);
      return turn ? [{ id, speaker: turn.speaker, text: turn.text }] : [];
    });
  }
  // Aligned as the report always has: without the speakers, so subjects alone are compared.
  const fields = countFields(alignToGolden(new Set(), input.golden, input.candidates, items), input.golden);
  return { missed_evidence, missed_text, fields };
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

const SUMMED_USAGE = ["requests", "calls", "batch_calls", "cache_hits", "retries", "failures", "input_tokens", "output_tokens", "reasoning_tokens", "cache_read_tokens", "cache_write_tokens"] as const;

/** What was spent since an earlier usage record of the same process: the log sums its usage records. */
function usageSince(now: ModelUsageRecord, before: ModelUsageRecord): ModelUsageRecord {
  const key = (a: ModelUsageRecord["accounts"][number]) => `${a.scope}\u0000${a.provider}\u0000${a.model}`;
  const earlier = new Map(before.accounts.map((a) => [key(a), a]));
  const accounts = now.accounts.map((account) => {
    const prior = earlier.get(key(account));
    if (!prior) return account;
    const delta = { ...account };
    for (const field of SUMMED_USAGE) delta[field] -= prior[field];
    delta.cost_usd = account.cost_usd === null || prior.cost_usd === null ? account.cost_usd : account.cost_usd - prior.cost_usd;
    return delta;
  });
  return { ...now, accounts };
}

/** What a unit does: its dry run and its judgements, or (a split batch run) one of the two. */
type UnitSteps = "all" | "dry_run" | "judge";

/** Start timing a phase; the returned function stops it and gives the phase's record. */
function timePhase(name: RunPhase["name"], units: number): () => RunPhase {
  const started = performance.now();
  return () => ({ name, wall_ms: Math.round(performance.now() - started), units });
}

/**
 * How long units in flight may take to finish once the run is stopped, before they are abandoned
 * (a stopped run ends within a second: this, then the partial reports). An abandoned unit is redone
 * by the resume; an answer it was waiting for that arrives meanwhile is still cached.
 */
export const STOP_GRACE_MS = 400;
/** How often a run whose units wait on nothing looks for a stop between units. */
const STOP_CHECK_MS = 50;

/** Wait for `work`, or stop waiting `ms` after `signal` aborts. */
async function untilDoneOrGrace(work: Promise<unknown>, signal: AbortSignal | undefined, graceMs: number): Promise<void> {
  if (!signal) {
    await work;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolveGrace) => {
    const arm = () => (timer = setTimeout(resolveGrace, graceMs));
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
  // A resumed run takes the shard its log names (checked against `shard` by openResume).
  const { shard: requestedShard, ...unsharded } = options;
  const plan = await loadPlan(options.resume ? { ...unsharded, out: options.resume } : options);
  for (const warning of plan.warnings) options.onWarning?.(warning);
  // A provider that falls back from a refused parameter says so as it happens.
  if (plan.models && options.onWarning) plan.models.onWarning = options.onWarning;
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  let resume: ResumeState | undefined;
  let runDir: string;
  if (options.resume) {
    runDir = plan.out!;
    // Claimed before the log is read: a killed run still dying is waited for, a live one refused.
    claimResumedRunDir(runDir);
    const claimed = runDir;
    try {
      resume = openResume(runDir, plan.bench, inputHashes(plan), options.retryErrors ?? false, requestedShard);
    } catch (error) {
      releaseRunDir(claimed);
      throw error;
    }
    options.onRunDir?.(runDir);
    if (resume.start.shard) applyShard(plan, resume.start.shard);
    if (resume.finished && !options.retryErrors) return writeRun(runDir, resume.fold, plan).finally(() => releaseRunDir(claimed));
    // The cost limit covers the whole run, the interrupted part included.
    if (plan.models) plan.models.spent = resume.fold.usage?.accounts.reduce((sum, a) => sum + (a.cost_usd ?? 0), 0) ?? 0;
  } else {
    runDir = prepareRunDir(plan, runId);
    options.onRunDir?.(runDir);
  }
  const logPath = join(runDir, RUN_LOG_FILE);
  let log: RunLogWriter;
  try {
    log = new RunLogWriter(logPath);
  } catch (error) {
    releaseRunDir(runDir);
    throw error;
  }
  // The report is folded from the records as they are appended: the log is never read back whole.
  const fold = resume?.fold ?? new RunFold();
  const units = resume?.units ?? new UnitIndex();
  const signal = options.signal;
  // Once stopped, units still in flight may finish after the log closed: their records are dropped.
  let open = true;
  let unitsDone = false;
  const append = (record: RunLogRecord) => {
    if (!open) return;
    const at = log.append(record);
    fold.add(record);
    // What later phases look up: where each dry run sits, and which conversations were compared pairwise.
    if (record.kind === "dry_run" || record.kind === "pairwise") units.note(record, at);
    else units.noteForRetrieval(record, at);
    // A submitted batch is paid for: its record is made durable before the run waits on it.
    if (record.kind === "batch") log.sync();
  };
  /** The model usage this process logged last: each usage record holds what was spent since the one before. */
  let usageLogged: ModelUsageRecord | undefined;
  const logUsage = (stoppedBy?: string) => {
    const now = usageRecord(plan, stoppedBy);
    if (!now) return;
    append(usageLogged ? usageSince(now, usageLogged) : now);
    usageLogged = now;
  };
  // A stop logs what was spent at once: a run ended where it stands, before its units in flight finish, keeps it.
  options.signal?.addEventListener("abort", () => logUsage(`stopped by ${String(options.signal!.reason ?? "SIGINT")}`), { once: true });
  let reader: number | undefined;
  /** A dry run's candidates, read back from the log (later phases need them; memory does not keep them). */
  const candidatesOf = (role: ConfigRole, id: string): Candidate[] => {
    const logged = units.dryRun(role, id);
    if (!logged) return [];
    log.flush();
    reader ??= openSync(logPath, "r");
    const record = readRecordAt(reader, logged.at, logPath);
    return record.kind === "dry_run" ? record.result.candidates : [];
  };
  /** A unit's coverage verdicts, read back from the log (the retrieval simulation needs them). */
  const coverageOf = (role: ConfigRole, id: string): CoverageVerdict[] => {
    const at = units.coverageAt(role, id);
    if (!at) return [];
    log.flush();
    reader ??= openSync(logPath, "r");
    const record = readRecordAt(reader, at, logPath);
    return record.kind === "judgement" && record.task === "coverage" ? record.items : [];
  };
  const stopped = () => signal?.aborted === true;
  const abortedOnce = new Promise<void>((resolveAbort) => {
    if (signal?.aborted) resolveAbort();
    else signal?.addEventListener("abort", () => resolveAbort(), { once: true });
  });
  // In batch mode calls must pile up to fill batches: as many units run at once as one batch holds.
  const batching = plan.models !== undefined && plan.bench.batch.enabled;
  // When nothing waits (in-process extractors, a free judge), units run one after the other: several
  // at once would only interleave on this thread, keeping each one's objects alive longer (on 10,000
  // conversations at concurrency 4, 150 MB of them outlived the young generation, against 34 MB).
  const waitsOnNothing = plan.judge.free === true && CONFIG_ROLES.every((role) => plan.stages[role].inProcess === true);
  const concurrency = batching ? Math.max(plan.bench.concurrency, plan.bench.batch.max_requests) : waitsOnNothing ? 1 : plan.bench.concurrency;
  const queue = new PQueue({ concurrency });
  const phases: RunPhase[] = [];
  plan.models?.batches.attach(append, resume?.batches);
  const report = (phase: Progress["phase"], done: number, total: number) =>
    onProgress?.({ phase, done, total, ...(plan.models?.totals() ?? { calls: 0, cacheHits: 0, costUsd: 0 }) });
  let failure: unknown;
  /** Queue work, at most a few batches ahead of the workers so memory holds only what is in flight. */
  const feed = async <T>(items: Iterable<T>, work: (item: T) => Promise<void>) => {
    let started = 0;
    let turned = performance.now();
    for (const item of items) {
      // Units that wait on nothing (rules, replay, the heuristic judge) never hand the event loop a
      // turn on their own: one is given between units every STOP_CHECK_MS, so a stop is seen at once.
      if (performance.now() - turned >= STOP_CHECK_MS) {
        await nextMacrotask();
        turned = performance.now();
      }
      if (stopped() || failure !== undefined) break;
      // A stop ends the wait too: units in flight may be waiting on a slow model.
      if (queue.size >= concurrency * 2) await Promise.race([queue.onSizeLessThan(concurrency), abortedOnce]);
      queue.add(() => work(item)).catch((error: unknown) => {
        failure ??= error;
      });
      // While the workers first fill, each unit starts a macrotask after the one before: a unit that
      // waits on a model sends its request as soon as it is built, not after every other unit is built
      // (which would bunch the calls into rounds that all come back, and start again, at once).
      if (++started < concurrency) await nextMacrotask();
    }
    await untilDoneOrGrace(queue.onIdle(), signal, options.stopGraceMs ?? STOP_GRACE_MS);
    if (failure !== undefined) throw failure;
  };
  try {
    if (!resume) append(runStartRecord(plan, runId, startedAt));
    /** Keep the interrupted run's record of a judgement, or judge and log it. */
    const judgeOnce = async (
      task: JudgementRecord["task"],
      base: { role: ConfigRole; conversation_id: string },
      reuse: boolean,
      make: () => Promise<JudgementRecord>,
    ): Promise<JudgementRecord | undefined> => (reuse && keptJudgement(resume, task, base.role, base.conversation_id) ? undefined : make());
    const entries = plan.conversations.entries;
    const noiseSample = selectNoiseSample(entries.map((e) => e.id), noiseShare(plan.bench.judge, plan.judge.kind), plan.bench.seed);
    const load = (entry: ConversationEntry) => ({ conversation: plan.conversations.load(entry), golden: plan.golden.forConversation(entry.id) });

    // Dry runs, each judged as it finishes: coverage, usefulness, and the judge-noise repeat.
    const total = entries.length * CONFIG_ROLES.length;
    let done = 0;
    /** What the two configs' units of one conversation share: one read of it, and (for a free judge's junk) their candidates. */
    interface Shared {
      loaded: () => ReturnType<typeof load>;
      candidates: Partial<Record<ConfigRole, Candidate[]>>;
      finished: number;
    }
    const freeJudge = plan.judge.free === true;
    /**
     * A free judge judges every candidate of every paired conversation for junk: done as soon as both
     * configs' units of the conversation finish, while it is still in memory, instead of in a later pass.
     */
    const junkInline = async (entry: ConversationEntry, shared: Shared) => {
      const id = entry.id;
      if (stopped() || !CONFIG_ROLES.every((role) => units.dryRun(role, id)?.failed === false)) return;
      const todo = CONFIG_ROLES.filter((role) => !(keptDryRun(resume, role, id) && keptJudgement(resume, "junk", role, id)));
      if (todo.length === 0) return;
      const { conversation, golden } = shared.loaded();
      for (const role of todo) {
        const base = { role, conversation_id: id };
        const input: JudgeInput = { conversation, golden, candidates: shared.candidates[role] ?? candidatesOf(role, id) };
        const record = await judged(plan.judge, "junk", base, () => plan.judge.junk(input, input.candidates.map((_, index) => index)));
        if (record.task === "junk" && !record.error) record.texts = junkTexts(record.items, input.candidates);
        append(record);
      }
    };
    /**
     * In batch mode with a model judge, every dry run comes first and every judgement after: all the
     * judge's calls of the run (coverage and usefulness, their repeats, junk, pairwise) then go out in
     * one batch round, instead of one round per extraction batch that happens to end first.
     */
    const splitRounds = batching && !freeJudge;
    const unitSteps = splitRounds ? 2 : 1;
    const unit = async (entry: ConversationEntry, role: ConfigRole, shared: Shared, steps: UnitSteps) => {
      if (stopped()) return;
      await judgeUnit(entry, role, shared, steps);
      if (steps === "all" && ++shared.finished === CONFIG_ROLES.length && freeJudge) await junkInline(entry, shared);
      report("dry_run", ++done, total * unitSteps);
    };
    const judgeUnit = async (entry: ConversationEntry, role: ConfigRole, shared: Shared, steps: UnitSteps) => {
      const id = entry.id;
      const base = { role, conversation_id: id };
      const kept = keptDryRun(resume, role, id);
      const repeat = noiseSample.has(id);
      const judgedAlready = (task: "coverage" | "usefulness") => keptJudgement(resume, task, role, id);
      // Each repeat is kept on its own: a stop can fall between the two.
      const repeatedAlready = (task: "coverage" | "usefulness") => kept !== undefined && keptRepeat(resume, task, role, id);
      if (kept && judgedAlready("coverage") && judgedAlready("usefulness") && (!repeat || (repeatedAlready("coverage") && repeatedAlready("usefulness")))) return;
      if (steps === "dry_run" && kept) return;
      const { conversation, golden } = shared.loaded();
      let candidates: Candidate[];
      // The judging step of a split run reads the dry run back from the log, as a resumed one does.
      if (kept || steps === "judge") candidates = candidatesOf(role, id);
      else {
        const result = await rememberDry(conversation, plan.configs[role].config, plan.stages[role]).catch((error: unknown) => {
          if (error instanceof RunError) throw error;
          return failedDryRun(conversation, error);
        });
        append({ kind: "dry_run", ...base, position: entry.position, golden: golden.length, result });
        candidates = result.candidates;
      }
      if (steps === "dry_run") return;
      if (freeJudge) shared.candidates[role] = candidates;
      const input: JudgeInput = { conversation, golden, candidates };
      // The unit's judgements go out together (an LLM judge answers coverage and usefulness from the
      // same calls); they are logged in a fixed order, and one that finished is kept even if another stopped the run.
      const again = { ...base, repeat: 1 };
      const settled = await Promise.allSettled([
        judgeOnce("coverage", base, kept !== undefined, () => judged(plan.judge, "coverage", base, () => plan.judge.coverage(input))),
        judgeOnce("usefulness", base, kept !== undefined, () => judged(plan.judge, "usefulness", base, () => plan.judge.usefulness(input))),
        // The judge-noise repeat: same prompts, repeat index 1, so the cache cannot answer it.
        repeat && !repeatedAlready("coverage") ? judged(plan.judge, "coverage", again, () => plan.judge.coverage(input, { repeat: 1 })) : undefined,
        repeat && !repeatedAlready("usefulness") ? judged(plan.judge, "usefulness", again, () => plan.judge.usefulness(input, { repeat: 1 })) : undefined,
      ]);
      for (const outcome of settled) {
        if (outcome.status !== "fulfilled" || !outcome.value) continue;
        const record = outcome.value;
        if (record.task === "coverage" && !record.error && record.repeat === undefined) Object.assign(record, coverageDetails(input, record.items));
        append(record);
      }
      const stop = settled.find((outcome) => outcome.status === "rejected");
      if (stop) throw stop.reason;
    };
    function* dryRunUnits() {
      for (const entry of entries) {
        // Both configs' units share one read of the conversation.
        let loaded: ReturnType<typeof load> | undefined;
        const shared: Shared = { loaded: () => (loaded ??= load(entry)), candidates: {}, finished: 0 };
        for (const role of CONFIG_ROLES) yield { entry, role, shared };
      }
    }
    /** Junk on the seeded sample and the pairwise comparisons: they need every dry run, not its judgements. */
    const judgeLater = async () => {
      // Junk: both configs judged on the same seeded sample of conversations (a free judge did every one above).
      const paired = entries.filter((entry) => CONFIG_ROLES.every((role) => {
        const logged = units.dryRun(role, entry.id);
        return logged !== undefined && !logged.failed;
      }));
      const junk = async () => {
        if (!stopped() && !freeJudge) {
          const counts = Object.fromEntries(
            CONFIG_ROLES.map((role) => [role, new Map(paired.map((entry) => [entry.id, units.dryRun(role, entry.id)!.candidates]))]),
          ) as Record<ConfigRole, Map<string, number>>;
          // The sample grows in rounds while the junk check is inconclusive (nextJunkSampleSizeOf); a shard keeps its first round.
          let size = plan.bench.junk_sample_size;
          const judgedIds = new Set<string>();
          let junkTotal = 0;
          let junkDone = 0;
          const junkPhase = timePhase("junk", 0);
          for (;;) {
            const sample = selectJunkSample(paired.map((e) => e.id), counts, size, plan.bench.seed, false);
            const drawn = paired.filter((entry) => sample.has(entry.id) && !judgedIds.has(entry.id));
            junkTotal += drawn.length * CONFIG_ROLES.length;
            const spentBefore = plan.models?.spent ?? 0;
            await feed(drawn, async (entry) => {
              const id = entry.id;
              const todo = CONFIG_ROLES.filter((role) => !(keptDryRun(resume, role, id) && keptJudgement(resume, "junk", role, id)));
              // The judge-noise repeat of junk, on the noise sample's conversations (cache bypassed, as for coverage and usefulness).
              const again = noiseSample.has(id) ? CONFIG_ROLES.filter((role) => resume?.units.judgementFailed("junk", role, id, 1) === undefined) : [];
              if (todo.length + again.length > 0) {
                const { conversation, golden } = load(entry);
                // Both configs' junk calls go out together (the provider limits still apply), not one after the other;
                // their records are logged in config order, and one that finished is kept even if the other stopped the run.
                const settled = await Promise.allSettled([...todo.map((role) => [role, 0] as const), ...again.map((role) => [role, 1] as const)].map(async ([role, repeat]) => {
                  const base = { role, conversation_id: id, ...(repeat ? { repeat } : {}) };
                  const input: JudgeInput = { conversation, golden, candidates: candidatesOf(role, id) };
                  const record = await judged(plan.judge, "junk", base, () => plan.judge.junk(input, sample.get(id)![role], { repeat }));
                  if (record.task === "junk" && !record.error && !repeat) record.texts = junkTexts(record.items, input.candidates);
                  return record;
                }));
                for (const outcome of settled) if (outcome.status === "fulfilled") append(outcome.value);
                const stop = settled.find((outcome) => outcome.status === "rejected");
                if (stop) throw stop.reason;
              }
              junkDone += CONFIG_ROLES.length;
              report("junk", junkDone, junkTotal);
            });
            for (const entry of drawn) judgedIds.add(entry.id);
            if (plan.shard || stopped() || drawn.length === 0) break;
            const limit = plan.models?.options.maxCostUsd;
            const candidatesJudged = drawn.reduce((sum, entry) => sum + CONFIG_ROLES.reduce((n, role) => n + sample.get(entry.id)![role].length, 0), 0);
            const spend = limit !== undefined && plan.models && candidatesJudged > 0
              ? { remainingUsd: limit - plan.models.spent, usdPerCandidate: (plan.models.spent - spentBefore) / candidatesJudged }
              : undefined;
            const next = nextJunkSampleSizeOf(fold, plan.bench, { size, exhausted: judgedIds.size === paired.length }, spend);
            if (next === undefined) break;
            size = next;
          }
          return { ...junkPhase(), units: junkTotal };
        }
        return undefined;
      };
      const pairwise = async () => {
        if (!stopped() && plan.judge.pairwise) {
          let pairDone = 0;
          const pairwisePhase = timePhase("pairwise", paired.length);
          await feed(paired, async (entry) => {
            if (!units.pairwise.has(entry.id)) {
              const conversation = plan.conversations.load(entry);
              append(await judgedPairwise(plan.judge, { conversation, baseline: candidatesOf("baseline", entry.id), candidate: candidatesOf("candidate", entry.id) }));
            }
            report("pairwise", ++pairDone, paired.length);
          });
          return pairwisePhase();
        }
        return undefined;
      };
      // Junk and pairwise depend on the dry runs alone: a split batch run sends them in one round.
      const done = splitRounds ? await Promise.all([junk(), pairwise()]) : [await junk(), await pairwise()];
      for (const phase of done) if (phase) phases.push(phase);
    };
    const dryRunPhase = timePhase("dry_run", total);
    if (splitRounds) {
      await feed(dryRunUnits(), ({ entry, role, shared }) => unit(entry, role, shared, "dry_run"));
      if (!stopped()) await Promise.all([feed(dryRunUnits(), ({ entry, role, shared }) => unit(entry, role, shared, "judge")), judgeLater()]);
      phases.push(dryRunPhase());
    } else {
      await feed(dryRunUnits(), ({ entry, role, shared }) => unit(entry, role, shared, "all"));
      phases.push(dryRunPhase());
      await judgeLater();
    }
    if (!stopped()) {
      const retrieval = await runRetrievalPhase({ plan, fold, units, candidatesOf, coverageOf, append, stopped, onProgress: (d, t) => report("retrieval", d, t) });
      if (retrieval) phases.push(retrieval);
    }
    logUsage(stopped() ? `stopped by ${String(signal!.reason ?? "SIGINT")}` : undefined);
    if (!stopped()) {
      const finishedAt = new Date();
      const began = resume ? new Date(resume.start.started_at) : startedAt;
      append({ kind: "run_end", finished_at: finishedAt.toISOString(), duration_ms: finishedAt.getTime() - began.getTime(), phases });
    }
    unitsDone = true;
  } catch (error) {
    // A stop (cost limit, replay-only miss, a rejected key): let the units in flight finish, keep what they logged.
    await untilDoneOrGrace(queue.onIdle(), signal, options.stopGraceMs ?? STOP_GRACE_MS);
    if (error instanceof RunError && plan.models?.stopped === error) {
      logUsage(error.message);
      throw new RunError(`${error.message}. The run log is kept in ${displayPath(runDir)}; \`extractor-bench report ${displayPath(runDir)}\` renders what was done.`, { cause: error });
    }
    throw error;
  } finally {
    open = false;
    plan.models?.batches.close();
    await log.close();
    if (reader !== undefined) closeSync(reader);
    plan.conversations.files.close();
    plan.golden.files.close();
    // Answers are cached off the event loop: the run is done once they are on disk, stopped or not.
    await plan.models?.cache.settle();
    // The folder stays claimed until the log is closed (and, below, the reports are written).
    if (!unitsDone) releaseRunDir(runDir);
  }
  try {
    await plan.models?.cache.flush();
    if (stopped()) {
      const outcome = await writeRun(runDir, fold, plan);
      const { completeness } = outcome.report;
      const kept = completeness.baseline.attempted + completeness.candidate.attempted;
      throw new InterruptedError(
        String(signal!.reason ?? "SIGINT"),
        `stopped by ${String(signal!.reason ?? "SIGINT")}: ${kept} of ${2 * completeness.conversations} dry runs and their judgements are kept in ${displayPath(runDir)} ` +
          `(report marked partial). Resume with: ${resumeCommand(options, runDir)}`,
      );
    }
    const outcome = await writeRun(runDir, fold, plan);
    // A finished run in the bench's output folder becomes <output>/latest; a run elsewhere (--out) is left alone.
    if (resolve(dirname(runDir)) === resolve(plan.paths.output)) pointLatest(runDir);
    return outcome;
  } finally {
    releaseRunDir(runDir);
  }
}

/** The text of the candidates judged junk, by index, so the report can quote them. */
function junkTexts(items: JunkVerdict[], candidates: Candidate[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const verdict of items) if (verdict.junk && candidates[verdict.candidate_index]) texts[String(verdict.candidate_index)] = candidates[verdict.candidate_index]!.text;
  return texts;
}
