import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import PQueue from "p-queue";
import { RunError, UsageError } from "../errors.js";
import { rememberDry } from "../extract/remember-dry.js";
import type { Judge, JudgeInput } from "../judge/judge.js";
import { selectJunkSample } from "../metrics/junk-sample.js";
import { indexRunLog } from "../metrics/run-data.js";
import { buildReport } from "../report/build-report.js";
import type { Conversation } from "../schema/conversation.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { BenchReport } from "../schema/report.js";
import { CONFIG_ROLES, FORMAT_VERSION, type ConfigRole, type EvidenceTurn, type JudgementRecord, type RunStart } from "../schema/run-log.js";
import { displayPath, loadPlan, type BenchOptions, type RunPlan } from "./plan.js";
import { readRunLog, RUN_LOG_FILE, RunLogWriter } from "./run-log.js";
import { TOOL_VERSION } from "./version.js";
import { pointLatest, writeReports, type WrittenFiles } from "./write-outputs.js";

export interface Progress {
  phase: "dry_run" | "judge";
  done: number;
  total: number;
}

export interface RunOutcome {
  runDir: string;
  report: BenchReport;
  files: WrittenFiles & { log: string };
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "").replace("T", "-");
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

function prepareRunDir(plan: RunPlan, runId: string): string {
  const runDir = plan.out ?? join(plan.paths.output, runId);
  if (existsSync(join(runDir, RUN_LOG_FILE))) {
    throw new UsageError(`${runDir} already holds a run (${RUN_LOG_FILE}); choose another --out`);
  }
  if (existsSync(runDir) && readdirSync(runDir).length > 0 && plan.out) {
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
      conversations: plan.conversations.map((c) => ({ id: c.id, namespace: c.scope.namespace, turns: c.turns.length })),
    },
    golden: { path: displayPath(plan.paths.golden), memories: plan.golden },
    ...(plan.labels && plan.paths.labels ? { labels: { path: displayPath(plan.paths.labels), items: plan.labels } } : {}),
    judge: { id: plan.judge.id, kind: plan.judge.kind, description: plan.judge.description },
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

/** Run one judge task; a judge that throws is recorded as a judge error for that unit. */
async function judged<T extends JudgementRecord["task"]>(
  judge: Judge,
  task: T,
  base: { role: ConfigRole; conversation_id: string },
  run: () => Promise<Extract<JudgementRecord, { task: T }>["items"]>,
): Promise<JudgementRecord> {
  try {
    return { kind: "judgement", task, judge: judge.id, ...base, items: await run() } as JudgementRecord;
  } catch (error) {
    return { kind: "judgement", task, judge: judge.id, ...base, items: [], error: error instanceof Error ? error.message : String(error) } as JudgementRecord;
  }
}

/**
 * The whole job: validate inputs, dry-run both configs on every conversation, judge, and derive the
 * report from the run log. Every finished unit is appended to the log before it counts.
 */
export async function runBench(options: BenchOptions, onProgress?: (progress: Progress) => void): Promise<RunOutcome> {
  const plan = await loadPlan(options);
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const runDir = prepareRunDir(plan, runId);
  const log = new RunLogWriter(join(runDir, RUN_LOG_FILE));
  try {
    log.append(runStartRecord(plan, runId, startedAt));
    const goldenByConversation = new Map<string, GoldenMemory[]>();
    for (const memory of plan.golden) goldenByConversation.set(memory.conversation_id, [...(goldenByConversation.get(memory.conversation_id) ?? []), memory]);
    const results: Record<ConfigRole, Map<string, DryRunResult>> = { baseline: new Map(), candidate: new Map() };
    const inputFor = (role: ConfigRole, conversation: Conversation): JudgeInput => ({
      conversation,
      golden: goldenByConversation.get(conversation.id) ?? [],
      candidates: results[role].get(conversation.id)?.candidates ?? [],
    });

    const queue = new PQueue({ concurrency: plan.bench.concurrency });
    const tasks: Promise<void>[] = [];
    const total = plan.conversations.length * CONFIG_ROLES.length;
    let done = 0;
    for (const conversation of plan.conversations) {
      for (const role of CONFIG_ROLES) {
        tasks.push(queue.add(async () => {
          const base = { role, conversation_id: conversation.id };
          const result = await rememberDry(conversation, plan.configs[role].config, plan.stages[role]).catch((error: unknown) =>
            failedDryRun(conversation, error),
          );
          results[role].set(conversation.id, result);
          log.append({ kind: "dry_run", ...base, result });
          const input = inputFor(role, conversation);
          const coverage = await judged(plan.judge, "coverage", base, () => plan.judge.coverage(input));
          if (coverage.task === "coverage") {
            const covered = new Set(coverage.items.filter((v) => v.covered).map((v) => v.golden_id));
            coverage.missed_evidence = coverage.error ? {} : missedEvidence(conversation, input.golden, covered);
          }
          log.append(coverage);
          log.append(await judged(plan.judge, "usefulness", base, () => plan.judge.usefulness(input)));
          onProgress?.({ phase: "dry_run", done: ++done, total });
        }));
      }
    }
    await Promise.all(tasks);

    // Junk: both configs judged on the same seeded sample of conversations (every one with a free judge).
    const paired = plan.conversations.filter((c) => CONFIG_ROLES.every((role) => {
      const result = results[role].get(c.id);
      return result !== undefined && !result.error;
    }));
    const sample = selectJunkSample(paired.map((c) => c.id), results, plan.bench.junk_sample_size, plan.bench.seed, plan.judge.free === true);
    for (const conversation of paired) {
      const drawn = sample.get(conversation.id);
      if (!drawn) continue;
      for (const role of CONFIG_ROLES) {
        tasks.push(queue.add(async () => {
          const base = { role, conversation_id: conversation.id };
          log.append(await judged(plan.judge, "junk", base, () => plan.judge.junk(inputFor(role, conversation), drawn[role])));
        }));
      }
    }
    await Promise.all(tasks);
    onProgress?.({ phase: "judge", done: 1, total: 1 });
    const finishedAt = new Date();
    log.append({ kind: "run_end", finished_at: finishedAt.toISOString(), duration_ms: finishedAt.getTime() - startedAt.getTime() });
  } finally {
    log.close();
  }
  const outcome = await renderRun(runDir);
  // A run the bench placed in its output folder becomes reports/latest; an explicit --out is left alone.
  if (!plan.out) pointLatest(runDir);
  return outcome;
}

/** Re-derive every report of a run folder from its run log alone. */
export async function renderRun(runDir: string): Promise<RunOutcome> {
  const logPath = join(runDir, RUN_LOG_FILE);
  const { records } = readRunLog(logPath);
  const report = buildReport(indexRunLog(records));
  const files = await writeReports(runDir, report);
  return { runDir, report, files: { ...files, log: logPath } };
}
