import { emptyConversationRecords, type ConversationRecords } from "../metrics/conversation-records.js";
import { conversationRows } from "../metrics/conversation-rows.js";
import { FLAG } from "../metrics/conversation-table.js";
import { mergeUsage } from "../metrics/merge-usage.js";
import { compareText } from "../metrics/order.js";
import { addDryRun, emptyDryRunSample, type DryRunSample } from "../metrics/reextraction-cost.js";
import { mergeScopeRecords } from "../metrics/retrieval-counts.js";
import { RepeatAgreement, type RepeatAgreementCounts } from "../metrics/repeat-agreement.js";
import { ReportExamples } from "../metrics/report-examples.js";
import type { RunData, RunSoFar } from "../metrics/run-data.js";
import { RunTotals } from "../metrics/run-totals.js";
import type { RetrievalRecord } from "../schema/retrieval-record.js";
import {
  CONFIG_ROLES,
  endsFinishedRun,
  type ConfigRole,
  type DryRunRecord,
  type JudgementRecord,
  type ModelUsageRecord,
  type PairwiseRecord,
  type RunEnd,
  type RunLogRecord,
  type RunStart,
} from "../schema/run-log.js";

const NO_START = "run log does not start with a run_start record";

/**
 * The run log replayed into what the report needs. Records are added in log order, in the current
 * shape (a log of an older format is upgraded where it is read: see log-upgrade.ts). A conversation is
 * settled, and its records let go, once both configs' dry runs and judgements are in. A conversation
 * with a failed unit stays whole until the end, because a resumed run may redo that unit: its later
 * record replaces the failed one. For a unit that finished, the first record counts.
 */
export class RunFold implements RunSoFar {
  start: RunStart | undefined;
  usage: ModelUsageRecord | undefined;
  end: RunEnd | undefined;
  readonly pairwise = new Map<string, PairwiseRecord>();
  /** Tokens, turns, calls and latency of each config's successful dry runs: for the re-extraction estimate. */
  readonly dryRunSamples: Record<ConfigRole, DryRunSample> = {
    baseline: emptyDryRunSample(),
    candidate: emptyDryRunSample(),
  };
  private readonly totals = new RunTotals();
  private readonly examples = new ReportExamples((id) => this.totals.table.positionOf(id));
  private readonly repeats = new RepeatAgreement();
  /** Records of the conversations not settled yet. */
  private readonly held = new Map<string, ConversationRecords>();
  /** The retrieval simulation's measurements, per scope. */
  private readonly retrieval = new Map<string, RetrievalRecord>();
  /** Conversations with human labels: held whole until the end, their candidates compared with the labels. */
  private labelled = new Set<string>();

  get table() {
    return this.totals.table;
  }

  get sides() {
    return this.totals.sides;
  }

  get pairs() {
    return this.totals.pairs;
  }

  add(record: RunLogRecord): void {
    if (record.kind === "run_start") {
      if (!this.start) this.begin(record);
      return;
    }
    if (!this.start) throw new Error(NO_START);
    switch (record.kind) {
      case "dry_run":
        this.addDryRun(record);
        return;
      case "judgement":
        this.addJudgement(record);
        return;
      case "pairwise":
        this.pairwise.set(record.conversation_id, record);
        return;
      case "model_usage":
        this.usage = this.usage ? mergeUsage(this.usage, record) : record;
        return;
      case "batch":
        // Submitted batches matter to a resume only (see resume.ts), not to the report.
        return;
      case "retrieval": {
        // One record per scope; shards of one run each measured their part of a scope.
        const earlier = this.retrieval.get(record.scope);
        this.retrieval.set(record.scope, earlier ? mergeScopeRecords(earlier, record) : record);
        return;
      }
      case "run_end":
        if (endsFinishedRun(record)) this.end = record;
        return;
    }
  }

  /** Settle what is still open and return the folded run. Call once, after the last record. */
  finish(): RunData {
    if (!this.start) throw new Error(NO_START);
    const noise = this.repeatAgreement();
    for (const [id, records] of this.held) this.settle(id, records);
    this.held.clear();
    return {
      start: this.start,
      usage: this.usage,
      end: this.end,
      table: this.totals.table,
      junkCategories: this.totals.junkCategories,
      ...conversationRows(this.totals.table, this.totals.failures),
      sides: this.totals.sides,
      pairs: this.totals.pairs,
      pairwise: this.pairwise,
      errors: this.totals.allErrors(),
      missed: this.examples.missedExamples(),
      junkExamples: this.examples.junkExamples(),
      noise,
      judged: this.examples.judgedCandidates(),
      dryRunSamples: this.dryRunSamples,
      retrieval: [...this.retrieval.values()].sort((a, b) => a.position - b.position || compareText(a.scope, b.scope)),
    };
  }

  /** The judge-noise repeats so far against the judgements they repeat (what `finish` reports as `noise`). */
  repeatAgreement(): RepeatAgreementCounts | null {
    return this.repeats.counts((id) => this.held.get(id));
  }

  private begin(start: RunStart): void {
    this.start = start;
    this.labelled = new Set((start.labels?.items ?? []).map((label) => label.conversation_id));
    const judge = start.bench.judge;
    this.repeats.tracking =
      start.judge.kind === "llm" &&
      typeof judge === "object" &&
      "repeat_share" in judge &&
      (judge.repeat_share ?? 0) > 0;
  }

  private isSettled(id: string): boolean {
    const { table } = this.totals;
    return table.has(id) && table.flag(table.slot(id), FLAG.settled);
  }

  private heldOf(id: string): ConversationRecords {
    let records = this.held.get(id);
    if (!records) this.held.set(id, (records = emptyConversationRecords()));
    return records;
  }

  private addDryRun(record: DryRunRecord): void {
    const id = record.conversation_id;
    if (this.isSettled(id)) return;
    const { table } = this.totals;
    if (record.position !== undefined) table.setPosition(table.slot(id), record.position);
    // Sampled once: a failed unit may be redone by a resumed run, a finished one is not.
    const before = this.held.get(id)?.dryRuns[record.role];
    if (!before || before.result.error) addDryRun(this.dryRunSamples[record.role], record.result);
    this.heldOf(id).dryRuns[record.role] = record;
    this.trySettle(id);
  }

  private addJudgement(record: JudgementRecord): void {
    const id = record.conversation_id;
    if (record.repeat !== undefined) {
      this.repeats.addRepeat(record);
      return;
    }
    if (record.task === "junk") {
      this.totals.addJunk(record);
      if (!record.error) this.examples.addJunk(record);
      this.repeats.noteJunk(record);
      if (this.labelled.has(id) && !this.isSettled(id)) this.heldOf(id).junk[record.role] = record;
      return;
    }
    if (this.isSettled(id)) return;
    const records = this.heldOf(id);
    if (record.task === "coverage") records.coverage[record.role] = record;
    else records.usefulness[record.role] = record;
    this.trySettle(id);
  }

  /** Settle a conversation once each config has a dry run and judgements that did not fail (labelled ones wait for the end). */
  private trySettle(id: string): void {
    if (this.labelled.has(id)) return;
    const records = this.held.get(id)!;
    for (const role of CONFIG_ROLES) {
      const dryRun = records.dryRuns[role];
      if (!dryRun || dryRun.result.error) return;
      const coverage = records.coverage[role];
      const usefulness = records.usefulness[role];
      if (!coverage || !usefulness || coverage.error || usefulness.error) return;
    }
    this.settle(id, records);
    this.held.delete(id);
  }

  /** Fold one conversation's records into the totals, examples and noise check; its candidates are not kept. */
  private settle(id: string, records: ConversationRecords): void {
    if (!this.totals.settle(id, records)) return;
    this.examples.addMissed(id, records);
    if (this.labelled.has(id)) this.examples.addJudged(id, records);
    this.repeats.noteSettled(id, records);
  }
}

/** Fold run-log records (the first must be run_start). Throws when it is not. */
export function indexRunLog(records: Iterable<RunLogRecord>): RunData {
  const fold = new RunFold();
  let first = true;
  for (const record of records) {
    if (first && record.kind !== "run_start") throw new Error(NO_START);
    first = false;
    fold.add(record);
  }
  return fold.finish();
}
