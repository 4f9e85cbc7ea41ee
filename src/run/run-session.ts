import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import type { ConversationEntry } from "../load/load-inputs.js";
import { RunFold } from "./run-fold.js";
import type { Candidate } from "../schema/candidate.js";
import type { ConfigRole, ModelUsageRecord, RunEnd, RunLogRecord } from "../schema/run-log.js";
import type { RunPhase } from "../schema/run-phase.js";
import type { CoverageVerdict } from "../schema/verdict.js";
import type { RunPlan } from "./plan.js";
import type { ResumeState } from "./resume.js";
import { UnitIndex } from "./unit-index.js";
import { readRecordAt, RUN_LOG_FILE, RunLogWriter } from "./run-log.js";
import { runEndRecord } from "./run-records.js";
import type { UnitScheduler } from "./unit-scheduler.js";
import { usageRecord, usageSince } from "./usage-records.js";

export interface Progress {
  /** dry_run: extraction and judging of each (conversation, config) unit; then the junk sample; then pairwise; then the retrieval simulation (one unit per scope). */
  phase: "dry_run" | "junk" | "pairwise" | "retrieval";
  done: number;
  total: number;
  /** Model calls answered by providers and by the cache so far, and USD spent (0 without models). */
  calls: number;
  cacheHits: number;
  costUsd: number;
  /** Models that answered calls but have no price: their spend is not in `costUsd`. Default: none. */
  unpriced?: string[];
}

/**
 * A run under way, as its phases see it: the log every finished unit is appended to (and folded into
 * the report as it is), what later phases look up in it, the unit scheduler, the progress callback
 * and the phases' wall times. Records appended once the run is closed (units in flight abandoned
 * after a stop) are dropped.
 */
export class RunSession {
  /** The report is folded from the records as they are appended: the log is never read back whole. */
  readonly fold: RunFold;
  /** Where each dry run sits in the log, and which conversations were compared pairwise. */
  readonly units: UnitIndex;
  readonly phases: RunPhase[] = [];
  private readonly log: RunLogWriter;
  private reader: number | undefined;
  private open = true;
  /** The model usage this process logged last: each usage record holds what was spent since the one before. */
  private usageLogged: ModelUsageRecord | undefined;

  /** Open the run folder's log for appending (a RunError when it cannot be). */
  constructor(
    readonly plan: RunPlan,
    readonly runDir: string,
    readonly resume: ResumeState | undefined,
    readonly scheduler: UnitScheduler,
    private readonly onProgress?: (progress: Progress) => void,
  ) {
    this.log = new RunLogWriter(join(runDir, RUN_LOG_FILE));
    this.fold = resume?.fold ?? new RunFold();
    this.units = resume?.units ?? new UnitIndex();
    plan.models?.batches.attach((record) => this.append(record), resume?.batches);
  }

  get logPath(): string {
    return this.log.path;
  }

  stopped(): boolean {
    return this.scheduler.stopped();
  }

  append(record: RunLogRecord): void {
    if (!this.open) return;
    const at = this.log.append(record);
    this.fold.add(record);
    if (record.kind === "dry_run" || record.kind === "pairwise") this.units.note(record, at);
    else this.units.noteForRetrieval(record, at);
    // A submitted batch is paid for: its record is made durable before the run waits on it.
    if (record.kind === "batch") this.log.sync();
  }

  /** Log what the models cost since the last usage record (nothing without models). */
  logUsage(stoppedBy?: string): void {
    const now = usageRecord(this.plan, stoppedBy);
    if (!now) return;
    this.append(this.usageLogged ? usageSince(now, this.usageLogged) : now);
    this.usageLogged = now;
  }

  /** Append the run_end record: how this part of the run ended, and its phases. */
  end(status: NonNullable<RunEnd["status"]>, startedAt: Date): void {
    const began = this.resume ? new Date(this.resume.start.started_at) : startedAt;
    this.append(runEndRecord(status, began, this.phases));
  }

  progress(phase: Progress["phase"], done: number, total: number): void {
    this.onProgress?.({
      phase,
      done,
      total,
      ...(this.plan.models?.totals() ?? { calls: 0, cacheHits: 0, costUsd: 0 }),
    });
  }

  /** A conversation and its golden memories, read from the dataset. */
  load(entry: ConversationEntry) {
    return { conversation: this.plan.conversations.load(entry), golden: this.plan.golden.forConversation(entry.id) };
  }

  /** A dry run's candidates, read back from the log (later phases need them; memory does not keep them). */
  candidatesOf(role: ConfigRole, id: string): Candidate[] {
    const logged = this.units.dryRun(role, id);
    if (!logged) return [];
    const record = this.readAt(logged.at);
    return record.kind === "dry_run" ? record.result.candidates : [];
  }

  /** A unit's coverage verdicts, read back from the log (the retrieval simulation needs them). */
  coverageOf(role: ConfigRole, id: string): CoverageVerdict[] {
    const at = this.units.coverageAt(role, id);
    if (!at) return [];
    const record = this.readAt(at);
    return record.kind === "judgement" && record.task === "coverage" ? record.items : [];
  }

  private readAt(at: Parameters<typeof readRecordAt>[1]): RunLogRecord {
    this.log.flush();
    this.reader ??= openSync(this.logPath, "r");
    return readRecordAt(this.reader, at, this.logPath);
  }

  /** Close the log and the inputs; once the cache's writes are on disk, the run is over, stopped or not. */
  async close(): Promise<void> {
    this.open = false;
    this.plan.models?.batches.close();
    await this.log.close();
    if (this.reader !== undefined) closeSync(this.reader);
    this.plan.conversations.files.close();
    this.plan.golden.files.close();
    await this.plan.models?.cache.flush();
  }
}
