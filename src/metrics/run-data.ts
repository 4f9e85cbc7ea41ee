import type { Candidate } from "../schema/candidate.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { ModelUsage } from "../schema/model-usage.js";
import type { ConversationResult, JunkExample, MissedMemory, RunErrorEntry } from "../schema/report.js";
import type {
  ConfigRole,
  DryRunRecord,
  FieldCounts,
  JudgementRecord,
  ModelUsageRecord,
  PairwiseRecord,
  RunEnd,
  RunLogRecord,
  RunStart,
} from "../schema/run-log.js";
import { CONFIG_ROLES, endsFinishedRun } from "../schema/run-log.js";
import type { RetrievalRecord } from "../schema/retrieval-record.js";
import { mergeScopeRecords } from "./retrieval-counts.js";
import type { JudgedCandidate } from "./agreement.js";
import type { RepeatCounts } from "./judge-noise.js";
import { addFieldCounts, alignToGolden, countFields, emptyFieldCounts } from "./field-alignment.js";
import { COL, ConversationTable, FLAG, JUNK, junkOffset, SIDE_STRIDE, sideOffset } from "./conversation-table.js";
import { groupBy } from "./numbers.js";
import { addDryRun, emptyDryRunSample, type DryRunSample } from "./reextraction-cost.js";
import { factKey } from "./normalization-suggestions.js";
import { changeCounts, pairCandidates, summarizePairs } from "./pairing.js";
import { typeMovesByType } from "./types.js";

type Judgement<T extends JudgementRecord["task"]> = Extract<JudgementRecord, { task: T }>;

/** How many examples of each kind a report keeps: enough to read, bounded however large the run. */
export const MAX_MISSED_EXAMPLES = 200;
export const MAX_JUNK_EXAMPLES = 200;
const MAX_SUBJECT_EXAMPLES = 5;

/** Numerator and denominator of one ratio metric in one conversation. */
export interface Counts {
  numerator: number;
  denominator: number;
}

/** How many conversation rows a report lists: the largest changes, in dataset order. */
export const MAX_CONVERSATION_ROWS = 1000;

/** Everything one config contributes to the report, summed over conversations as they settle. */
export interface SideTotals {
  // Over the paired conversations.
  conversations: number;
  turns: number;
  candidates: number;
  useful: number;
  judged: number;
  covered: number;
  golden: number;
  /** Golden memories a candidate states only in part (a model judge's score 1), not counted as covered. */
  partial: number;
  /** Coverage verdicts a model gave: partial coverage is measured only among them. */
  modelCoverageJudged: number;
  /** Confidence value → candidates with it. */
  confidence: Map<number, number>;
  /** Confidence value → judged candidates with it, and how many of them the judge rated useful. */
  calibration: Map<number, { useful: number; count: number }>;
  types: Map<string, number>;
  predicates: Map<string, number>;
  /** Predicate → (subject entity, object) fact key → candidates stating it: for normalization suggestions. */
  facts: Map<string, Map<string, number>>;
  fields: FieldCounts;
  mentions: number;
  fallback: number;
  unresolved: Map<string, number>;
  // Over every dry run logged.
  attempted: number;
  failed: number;
  failedByKind: Map<string, number>;
  judgeErrors: Map<string, number>;
  extractCalls: number;
  jsonFailures: number;
  /** Extract calls whose answer could not be used, by why; what reading the answers repaired and dropped, by reason. */
  answerFailures: Map<string, number>;
  repairs: Map<string, number>;
  dropped: Map<string, number>;
  extracted: number;
  deduped: number;
  prefilteredTurns: number;
  inputTokens: number;
  outputTokens: number;
  byStage: { exact: number; alias: number; fuzzy: number; fallback: number };
  latencies: number[];
}

export interface PairTotals {
  pairs: number;
  /** Pairs made by overlapping evidence turns, and by subject and object where one side cited none. */
  byEvidence: number;
  bySubjectObject: number;
  predicateChanged: number;
  typeChanged: number;
  subjectTextChanged: number;
  subjectEntityChanged: number;
  /** Subject changes with the position of their conversation, for deterministic examples. */
  subjectExamples: Array<{ position: number; from: string; to: string }>;
  predicateChanges: Map<string, { from: string; to: string; count: number }>;
  typeChanges: Map<string, { from: string; to: string; count: number }>;
  typeMoves: Map<string, { pairs: number; to: Map<string, number> }>;
  /** Golden memories covered by the baseline only, by the candidate only. */
  baselineOnly: number;
  candidateOnly: number;
}

/** Verdict outcomes of a unit, as compared with its judge-noise repeat. */
type Outcomes = Map<string, boolean>;

/**
 * The run log folded into what the report needs. Records are added in log order; a conversation is
 * settled, and its records let go, once both configs' dry runs and judgements are in: memory grows
 * with the accumulators (counts, value histograms, one small row per conversation), not with the
 * candidates. A conversation with a failed unit stays whole until the end, because a resumed run
 * may redo that unit: its later record replaces the failed one. For a unit that finished, the first
 * record counts.
 */
export class RunFold {
  start: RunStart | undefined;
  usage: ModelUsageRecord | undefined;
  end: RunEnd | undefined;
  /** Every conversation's counts, a few dozen bytes each. */
  readonly table = new ConversationTable();
  readonly sides: Record<ConfigRole, SideTotals> = { baseline: emptySide(), candidate: emptySide() };
  readonly pairs: PairTotals = emptyPairs();
  readonly pairwise = new Map<string, PairwiseRecord>();
  readonly errors: RunErrorEntry[] = [];
  /** Failed dry runs (rare): what the conversation rows show. */
  private readonly failures = new Map<string, Partial<Record<ConfigRole, { error: string; stderr?: string }>>>();
  /** Junk categories of a conversation and config (key: conversation id and config), where the judge found junk. */
  private readonly junkCategories = new Map<string, Record<string, number>>();
  private readonly junkFailures = new Map<string, { role: ConfigRole; id: string; message: string }>();
  /** Tokens, turns, calls and latency of each config's successful dry runs: for the re-extraction estimate. */
  readonly dryRunSamples: Record<ConfigRole, DryRunSample> = { baseline: emptyDryRunSample(), candidate: emptyDryRunSample() };
  private readonly pending = new Map<string, Pending>();
  /** The retrieval simulation's measurements, per scope. */
  private readonly retrieval = new Map<string, RetrievalRecord>();
  /** Missed memories with their conversation's position and their place in its coverage verdicts. */
  private missed: Array<{ memory: MissedMemory; position: number; index: number }> = [];
  private junkExamples: JunkExample[] = [];
  private readonly outcomes = new Map<string, Outcomes>();
  private readonly repeats = new Map<string, { record: Judgement<"coverage"> | Judgement<"usefulness"> | Judgement<"junk">; key: string }>();
  /** Junk verdict outcomes of a config's conversation (key: role NUL id), kept to compare with their repeats. */
  private readonly junkOutcomes = new Map<string, Outcomes>();
  private labelled = new Set<string>();
  private goldenV2: Map<string, GoldenMemory[]> | undefined;
  private tracksNoise = false;

  add(record: RunLogRecord): void {
    if (record.kind === "run_start") {
      if (!this.start) this.begin(record);
      return;
    }
    if (!this.start) throw new Error("run log does not start with a run_start record");
    switch (record.kind) {
      case "dry_run":
        if (this.isSettled(record.conversation_id)) return;
        if (record.position !== undefined) this.table.setPosition(this.table.slot(record.conversation_id), record.position);
        this.sampleDryRun(record);
        this.pendingOf(record.conversation_id).dryRuns[record.role] = record;
        this.trySettle(record.conversation_id);
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
        // Submitted batches matter to a resume only (see run/resume.ts), not to the report.
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
    if (!this.start) throw new Error("run log does not start with a run_start record");
    const noise = this.noise();
    for (const [id, pending] of this.pending) this.settle(id, pending);
    this.pending.clear();
    const positions = (id: string) => this.table.positionOf(id);
    return {
      start: this.start,
      usage: this.usage,
      end: this.end,
      table: this.table,
      junkCategories: this.junkCategories,
      ...this.conversationRows(),
      sides: this.sides,
      pairs: this.pairs,
      pairwise: this.pairwise,
      errors: this.errors.concat(this.junkErrors()).sort(errorOrder(positions)),
      missed: bounded(this.missed, MAX_MISSED_EXAMPLES * 2, missedPriority)
        .sort((a, b) => compareText(a.memory.role, b.memory.role) || a.position - b.position || a.index - b.index)
        .map((m) => m.memory),
      junkExamples: bounded(this.junkExamples, MAX_JUNK_EXAMPLES * 2, junkOrder(positions)),
      noise,
      // In dataset order: conversations settle in the order their units finished, which reports must not show.
      judged: [...this.judgedCandidates].sort((a, b) => positions(a.conversation_id) - positions(b.conversation_id)),
      dryRunSamples: this.dryRunSamples,
      retrieval: [...this.retrieval.values()].sort((a, b) => a.position - b.position || compareText(a.scope, b.scope)),
    };
  }

  private judgedCandidates: JudgedCandidate[] = [];

  /** The judge-noise repeats so far against the judgements they repeat (what `finish` reports as `noise`). */
  repeatAgreement(): RunData["noise"] {
    return this.noise();
  }

  private begin(start: RunStart): void {
    this.start = start;
    this.labelled = new Set((start.labels?.items ?? []).map((label) => label.conversation_id));
    if (Array.isArray(start.golden.memories)) this.goldenV2 = groupBy(start.golden.memories, (m) => m.conversation_id);
    if (Array.isArray(start.dataset.conversations)) start.dataset.conversations.forEach((c, i) => this.table.setPosition(this.table.slot(c.id), i));
    const judge = start.bench.judge;
    this.tracksNoise = start.judge.kind === "llm" && typeof judge === "object" && "repeat_share" in judge && (judge.repeat_share ?? 0) > 0;
  }

  private isSettled(id: string): boolean {
    return this.table.has(id) && this.table.flag(this.table.slot(id), FLAG.settled);
  }

  /** Sample a successful dry run once: a failed unit may be redone by a resumed run, a finished one is not. */
  private sampleDryRun(record: Extract<RunLogRecord, { kind: "dry_run" }>): void {
    const before = this.pending.get(record.conversation_id)?.dryRuns[record.role];
    if (!before || before.result.error) addDryRun(this.dryRunSamples[record.role], record.result);
  }

  private pendingOf(id: string): Pending {
    let pending = this.pending.get(id);
    if (!pending) this.pending.set(id, (pending = { dryRuns: {}, coverage: {}, usefulness: {}, junk: {} }));
    return pending;
  }

  private addJudgement(record: JudgementRecord): void {
    const id = record.conversation_id;
    if (record.repeat !== undefined) {
      this.repeats.set(`${record.task}\u0000${record.role}\u0000${id}`, { record, key: `${record.task}\u0000${record.role}\u0000${id}` });
      return;
    }
    if (record.task === "junk") {
      this.addJunk(record);
      if (this.labelled.has(id) && !this.isSettled(id)) this.pendingOf(id).junk[record.role] = record;
      return;
    }
    if (this.isSettled(id)) return;
    const pending = this.pendingOf(id);
    if (record.task === "coverage") pending.coverage[record.role] = record;
    else pending.usefulness[record.role] = record;
    this.trySettle(id);
  }

  private addJunk(record: Judgement<"junk">): void {
    const slot = this.table.slot(record.conversation_id);
    const key = `${record.role}\u0000${record.conversation_id}`;
    const offset = junkOffset(record.role);
    this.junkCategories.delete(key);
    this.junkFailures.delete(key);
    this.junkOutcomes.delete(key);
    if (record.error) {
      this.table.setJunkState(slot, record.role, JUNK.failed);
      this.table.set(slot, COL.junk + offset, 0);
      this.table.set(slot, COL.junkJudged + offset, 0);
      this.junkFailures.set(key, { role: record.role, id: record.conversation_id, message: record.error });
      return;
    }
    let junk = 0;
    const categories: Record<string, number> = {};
    for (const verdict of record.items) {
      if (!verdict.junk) continue;
      junk++;
      const category = verdict.category ?? "other";
      categories[category] = (categories[category] ?? 0) + 1;
      this.junkExamples.push({
        role: record.role,
        conversation_id: record.conversation_id,
        candidate_index: verdict.candidate_index,
        text: record.texts?.[String(verdict.candidate_index)] ?? "",
        category: verdict.category,
        reason: verdict.reason,
      });
    }
    if (this.tracksNoise) this.junkOutcomes.set(key, outcomesOf(record));
    this.table.setJunkState(slot, record.role, JUNK.judged);
    this.table.set(slot, COL.junk + offset, junk);
    this.table.set(slot, COL.junkJudged + offset, record.items.length);
    if (junk > 0) this.junkCategories.set(key, categories);
    if (this.junkExamples.length > MAX_JUNK_EXAMPLES * 8) this.junkExamples = bounded(this.junkExamples, MAX_JUNK_EXAMPLES * 2, junkOrder((id) => this.table.positionOf(id)));
  }

  private trySettle(id: string): void {
    if (this.labelled.has(id)) return;
    const pending = this.pending.get(id)!;
    for (const role of CONFIG_ROLES) {
      const dryRun = pending.dryRuns[role];
      if (!dryRun || dryRun.result.error) return;
      const coverage = pending.coverage[role];
      const usefulness = pending.usefulness[role];
      if (!coverage || !usefulness || coverage.error || usefulness.error) return;
    }
    this.settle(id, pending);
    this.pending.delete(id);
  }

  /** Fold one conversation's records into the totals; its candidates are not kept. */
  private settle(id: string, pending: Pending): void {
    const slot = this.table.slot(id);
    this.table.setFlag(slot, FLAG.settled);
    const first = pending.dryRuns.baseline ?? pending.dryRuns.candidate;
    if (!first) return; // judgements without a dry run: nothing to count
    this.table.setFlag(slot, FLAG.row);
    if (first.position !== undefined) this.table.setPosition(slot, first.position);
    const position = this.table.position(slot);
    const paired = CONFIG_ROLES.every((role) => pending.dryRuns[role] !== undefined && !pending.dryRuns[role]!.result.error);
    if (paired) this.table.setFlag(slot, FLAG.paired);
    const golden = this.goldenV2?.get(id);
    this.table.set(slot, COL.turns, first.result.counts.turns);
    this.table.set(slot, COL.golden, first.golden ?? golden?.length ?? 0);
    for (const role of CONFIG_ROLES) this.settleSide(id, slot, role, pending, paired, golden);
    if (paired) this.settlePair(position, pending);
    this.collectMissed(id, pending);
    if (this.labelled.has(id)) this.collectJudged(id, pending);
    if (this.tracksNoise) {
      for (const role of CONFIG_ROLES) {
        for (const record of [pending.usefulness[role], pending.coverage[role]]) {
          if (record && !record.error) this.outcomes.set(`${record.task}\u0000${role}\u0000${id}`, outcomesOf(record));
        }
      }
    }
  }

  private settleSide(id: string, slot: number, role: ConfigRole, pending: Pending, paired: boolean, golden: GoldenMemory[] | undefined): void {
    const side = this.sides[role];
    const record = pending.dryRuns[role];
    const coverage = pending.coverage[role];
    const usefulness = pending.usefulness[role];
    for (const judgement of [coverage, usefulness]) {
      if (!judgement?.error) continue;
      side.judgeErrors.set(judgement.task, (side.judgeErrors.get(judgement.task) ?? 0) + 1);
      this.errors.push({ role, conversation_id: id, stage: "judge", kind: judgement.task, message: judgement.error });
    }
    if (!record) return;
    const result = record.result;
    addOperating(side, result);
    const at = sideOffset(role);
    const usefulItems = usefulness && !usefulness.error ? usefulness.items : [];
    const coverageItems = coverage && !coverage.error ? coverage.items : [];
    const useful = usefulItems.filter((v) => v.useful).length;
    const covered = coverageItems.filter((v) => v.covered).length;
    this.table.set(slot, COL.candidates + at, result.candidates.length);
    this.table.set(slot, COL.covered + at, covered);
    this.table.set(slot, COL.useful + at, useful);
    this.table.set(slot, COL.judged + at, usefulItems.length);
    this.table.set(slot, COL.coverageJudged + at, coverageItems.length);
    // The coverage verdicts a model gave: only they can flip when judged again (a cheap match cannot).
    const modelCoverage = coverageItems.filter((v) => v.method === "llm");
    this.table.set(slot, COL.modelCovered + at, modelCoverage.filter((v) => v.covered).length);
    this.table.set(slot, COL.modelCoverageJudged + at, modelCoverage.length);
    const stageCounts = result.counts.resolved_by_stage;
    this.table.set(slot, COL.mentions + at, stageCounts.exact + stageCounts.alias + stageCounts.fuzzy + stageCounts.fallback);
    this.table.set(slot, COL.fallback + at, stageCounts.fallback);
    if (result.error) {
      this.table.setFlag(slot, role === "baseline" ? FLAG.failedBaseline : FLAG.failedCandidate);
      const failure = this.failures.get(id) ?? {};
      failure[role] = { error: `${result.error.kind}: ${result.error.message}`, ...(result.stderr ? { stderr: result.stderr } : {}) };
      this.failures.set(id, failure);
      side.failed++;
      side.failedByKind.set(result.error.kind, (side.failedByKind.get(result.error.kind) ?? 0) + 1);
      this.errors.push({ role, conversation_id: id, stage: "dry_run", kind: result.error.kind, message: result.error.message });
    }
    if (!paired) return;
    side.conversations++;
    side.turns += result.counts.turns;
    side.candidates += result.candidates.length;
    side.useful += useful;
    side.judged += usefulItems.length;
    side.covered += covered;
    side.golden += coverageItems.length;
    side.partial += coverageItems.filter((v) => v.partial && !v.covered).length;
    side.modelCoverageJudged += modelCoverage.length;
    const stages = result.counts.resolved_by_stage;
    side.mentions += stages.exact + stages.alias + stages.fuzzy + stages.fallback;
    side.fallback += stages.fallback;
    for (const candidate of result.candidates) addCandidate(side, candidate);
    for (const verdict of usefulItems) {
      const candidate = result.candidates[verdict.candidate_index];
      if (!candidate) continue;
      const entry = side.calibration.get(candidate.confidence) ?? { useful: 0, count: 0 };
      entry.count++;
      if (verdict.useful) entry.useful++;
      side.calibration.set(candidate.confidence, entry);
    }
    if (coverage?.fields) addFieldCounts(side.fields, coverage.fields);
    else if (golden) {
      // Format 2 logs carry the golden set in run_start: align here, as the run does now per unit.
      addFieldCounts(side.fields, countFields(alignToGolden(new Set(), golden, result.candidates, coverageItems), golden));
    }
  }

  private settlePair(position: number, pending: Pending): void {
    const baseline = pending.dryRuns.baseline!.result.candidates;
    const candidate = pending.dryRuns.candidate!.result.candidates;
    const pairs = pairCandidates(baseline, candidate);
    const summary = summarizePairs(pairs);
    const totals = this.pairs;
    totals.pairs += summary.pairs;
    totals.byEvidence += summary.by_evidence ?? 0;
    totals.bySubjectObject += summary.by_subject_object ?? 0;
    totals.predicateChanged += summary.predicate_changed;
    totals.typeChanged += summary.type_changed;
    totals.subjectTextChanged += summary.subject_text_changed;
    totals.subjectEntityChanged += summary.subject_entity_changed;
    for (const example of summary.subject_examples) totals.subjectExamples.push({ position, ...example });
    if (totals.subjectExamples.length > MAX_SUBJECT_EXAMPLES * 20) totals.subjectExamples = subjectExamples(totals.subjectExamples).slice(0, MAX_SUBJECT_EXAMPLES * 4);
    for (const [field, into] of [["predicate", totals.predicateChanges], ["type", totals.typeChanges]] as const) {
      for (const change of changeCounts(pairs, field)) {
        const key = `${change.from}\u0000${change.to}`;
        const entry = into.get(key) ?? { from: change.from, to: change.to, count: 0 };
        entry.count += change.count;
        into.set(key, entry);
      }
    }
    for (const move of typeMovesByType(pairs)) {
      const entry = totals.typeMoves.get(move.type) ?? { pairs: 0, to: new Map<string, number>() };
      entry.pairs += move.pairs;
      for (const to of move.to) entry.to.set(to.type, (entry.to.get(to.type) ?? 0) + to.count);
      totals.typeMoves.set(move.type, entry);
    }
    // McNemar's discordant pairs.
    const a = pending.coverage.baseline;
    const b = pending.coverage.candidate;
    const byBaseline = coveredByGolden(a);
    const byCandidate = coveredByGolden(b);
    if (a && b && !a.error && !b.error) {
      for (const [goldenId, covered] of byBaseline) {
        const other = byCandidate.get(goldenId);
        if (other === undefined) continue;
        if (covered && !other) totals.baselineOnly++;
        if (!covered && other) totals.candidateOnly++;
      }
    }
  }

  /** The golden memories each config left uncovered in one conversation (reports show a bounded selection). */
  private collectMissed(id: string, pending: Pending): void {
    const byBaseline = coveredByGolden(pending.coverage.baseline);
    const byCandidate = coveredByGolden(pending.coverage.candidate);
    const goldenText = this.goldenV2 ? new Map((this.goldenV2.get(id) ?? []).map((m) => [m.id, m.text])) : undefined;
    const position = this.table.positionOf(id);
    for (const role of CONFIG_ROLES) {
      const coverage = pending.coverage[role];
      if (!coverage || coverage.error) continue;
      const other = role === "baseline" ? byCandidate : byBaseline;
      for (const [index, verdict] of coverage.items.entries()) {
        if (verdict.covered) continue;
        this.missed.push({
          position,
          index,
          memory: {
          role,
          conversation_id: id,
          golden_id: verdict.golden_id,
          text: coverage.missed_text?.[verdict.golden_id] ?? goldenText?.get(verdict.golden_id) ?? "",
          covered_by_other: other.get(verdict.golden_id) === true,
          evidence: coverage.missed_evidence[verdict.golden_id] ?? [],
          },
        });
      }
    }
    if (this.missed.length > MAX_MISSED_EXAMPLES * 8) this.missed = bounded(this.missed, MAX_MISSED_EXAMPLES * 2, missedPriority);
  }

  /** What the judge said about each candidate of a conversation with human labels. */
  private collectJudged(id: string, pending: Pending): void {
    for (const role of CONFIG_ROLES) {
      const record = pending.dryRuns[role];
      if (!record) continue;
      const usefulness = pending.usefulness[role];
      const junk = pending.junk[role];
      const rated = new Map((usefulness && !usefulness.error ? usefulness.items : []).map((v) => [v.candidate_index, v]));
      const sampled = new Map((junk && !junk.error ? junk.items : []).map((v) => [v.candidate_index, v]));
      record.result.candidates.forEach((candidate, index) => {
        const judged: JudgedCandidate = { role, conversation_id: id, text: candidate.text };
        const verdict = rated.get(index);
        if (verdict) Object.assign(judged, { rating: verdict.rating, useful: verdict.useful });
        const junkVerdict = sampled.get(index);
        if (junkVerdict) Object.assign(judged, { junk: junkVerdict.junk, junk_category: junkVerdict.category });
        this.judgedCandidates.push(judged);
      });
    }
  }

  private junkErrors(): RunErrorEntry[] {
    return [...this.junkFailures.values()].map(({ role, id, message }) => {
      this.sides[role].judgeErrors.set("junk", (this.sides[role].judgeErrors.get("junk") ?? 0) + 1);
      return { role, conversation_id: id, stage: "judge" as const, kind: "junk", message };
    });
  }

  /** The conversation rows a report lists (the largest changes, at most MAX_CONVERSATION_ROWS, in dataset order) and how many there are. */
  private conversationRows(): Pick<RunData, "conversations" | "conversationCounts"> {
    const { table } = this;
    const slots = table.inDatasetOrder().filter((slot) => table.flag(slot, FLAG.row));
    const change = (slot: number) => {
      const delta = (column: number) => table.get(slot, column + SIDE_STRIDE) - table.get(slot, column);
      return [table.flag(slot, FLAG.failedBaseline) || table.flag(slot, FLAG.failedCandidate) ? 1 : 0, Math.abs(delta(COL.covered)), Math.abs(delta(COL.candidates)), Math.abs(delta(COL.useful))];
    };
    let changed = 0;
    let failed = 0;
    for (const slot of slots) {
      const c = change(slot);
      if (c[0]) failed++;
      if (c.some((v) => v !== 0)) changed++;
    }
    let shown = slots;
    if (slots.length > MAX_CONVERSATION_ROWS) {
      const ranked = slots.map((slot) => ({ slot, c: change(slot) }));
      ranked.sort((a, b) => {
        for (let i = 0; i < a.c.length; i++) if (a.c[i] !== b.c[i]) return b.c[i]! - a.c[i]!;
        return compareText(table.id(a.slot), table.id(b.slot));
      });
      const kept = new Set(ranked.slice(0, MAX_CONVERSATION_ROWS).map((r) => r.slot));
      shown = slots.filter((slot) => kept.has(slot));
    }
    const side = (slot: number, role: ConfigRole): ConversationResult["baseline"] => {
      const at = sideOffset(role);
      const view: ConversationResult["baseline"] = {
        candidates: table.get(slot, COL.candidates + at),
        covered: table.get(slot, COL.covered + at),
        useful: table.get(slot, COL.useful + at),
      };
      const failure = this.failures.get(table.id(slot))?.[role];
      if (failure) Object.assign(view, failure);
      return view;
    };
    return {
      conversations: shown.map((slot) => ({
        conversation_id: table.id(slot),
        turns: table.get(slot, COL.turns),
        golden: table.get(slot, COL.golden),
        baseline: side(slot, "baseline"),
        candidate: side(slot, "candidate"),
      })),
      conversationCounts: { total: slots.length, changed, failed },
    };
  }

  /** Verdict outcomes of a judgement still held whole. */
  private pendingOutcomes(task: "coverage" | "usefulness", role: ConfigRole, id: string): Outcomes | undefined {
    const pending = this.pending.get(id);
    const record = task === "coverage" ? pending?.coverage[role] : pending?.usefulness[role];
    return record && !record.error ? outcomesOf(record) : undefined;
  }

  /** Repeated units against the judgements that count: compared, and how many verdicts flipped. */
  private noise(): RunData["noise"] {
    if (this.repeats.size === 0) return null;
    const empty = () => ({ compared: 0, disagreements: 0 });
    const result = { units: 0, usefulness: empty(), coverage: empty(), junk: empty() };
    for (const { record, key } of this.repeats.values()) {
      if (record.task === "usefulness") result.units++;
      const first =
        record.task === "junk" ? this.junkOutcomes.get(`${record.role}\u0000${record.conversation_id}`)
        : this.outcomes.get(key) ?? this.pendingOutcomes(record.task, record.role, record.conversation_id);
      if (!first || record.error) continue;
      const into = result[record.task];
      for (const [itemKey, outcome] of outcomesOf(record)) {
        const before = first.get(itemKey);
        if (before === undefined) continue;
        into.compared++;
        if (before !== outcome) into.disagreements++;
      }
    }
    return result;
  }
}

interface Pending {
  dryRuns: Partial<Record<ConfigRole, DryRunRecord>>;
  coverage: Partial<Record<ConfigRole, Judgement<"coverage">>>;
  usefulness: Partial<Record<ConfigRole, Judgement<"usefulness">>>;
  junk: Partial<Record<ConfigRole, Judgement<"junk">>>;
}

/** The run log, folded: what every metric of the report is computed from. */
export interface RunData {
  start: RunStart;
  usage?: ModelUsageRecord | undefined;
  end?: RunEnd | undefined;
  /** Every conversation's counts: what the bootstrap resamples and the junk sample sums. */
  table: ConversationTable;
  /** Junk categories per config and conversation (key: role NUL id), where the judge found junk. */
  junkCategories: Map<string, Record<string, number>>;
  /** The conversation rows the report lists: the largest changes, at most MAX_CONVERSATION_ROWS, in dataset order. */
  conversations: ConversationResult[];
  /** Conversations with a dry run, those that changed and those where a config failed. */
  conversationCounts: { total: number; changed: number; failed: number };
  sides: Record<ConfigRole, SideTotals>;
  pairs: PairTotals;
  pairwise: Map<string, PairwiseRecord>;
  errors: RunErrorEntry[];
  missed: MissedMemory[];
  junkExamples: JunkExample[];
  /**
   * Verdicts of the judge-noise repeats compared with the judgements that count, per task; coverage
   * verdicts only where a model gave both (a cheap match decides the same way every time).
   */
  noise: { units: number; usefulness: RepeatCounts; coverage: RepeatCounts; junk: RepeatCounts } | null;
  /** Candidates of the conversations with human labels, with the judge's verdicts. */
  judged: JudgedCandidate[];
  dryRunSamples: Record<ConfigRole, DryRunSample>;
  /** The retrieval simulation's measurements per scope, in dataset order; empty when it did not run. */
  retrieval: RetrievalRecord[];
}

/** Golden memory id → covered, from a coverage judgement that did not fail (empty otherwise). */
function coveredByGolden(record: Judgement<"coverage"> | undefined): Map<string, boolean> {
  return new Map((record && !record.error ? record.items : []).map((v) => [v.golden_id, v.covered]));
}

/**
 * Each verdict's outcome: useful (by candidate index), junk (by candidate index) or covered (by golden
 * id, for the verdicts a model gave: a cheap lexical match is deterministic and says nothing about noise).
 */
function outcomesOf(record: Judgement<"coverage"> | Judgement<"usefulness"> | Judgement<"junk">): Outcomes {
  if (record.task === "usefulness") return new Map(record.items.map((v) => [String(v.candidate_index), v.useful]));
  if (record.task === "junk") return new Map(record.items.map((v) => [String(v.candidate_index), v.junk]));
  return new Map(record.items.filter((v) => v.method === "llm").map((v) => [v.golden_id, v.covered]));
}

function emptySide(): SideTotals {
  return {
    conversations: 0,
    turns: 0,
    candidates: 0,
    useful: 0,
    judged: 0,
    covered: 0,
    golden: 0,
    partial: 0,
    modelCoverageJudged: 0,
    confidence: new Map(),
    calibration: new Map(),
    types: new Map(),
    predicates: new Map(),
    facts: new Map(),
    fields: emptyFieldCounts(),
    mentions: 0,
    fallback: 0,
    unresolved: new Map(),
    attempted: 0,
    failed: 0,
    failedByKind: new Map(),
    judgeErrors: new Map(),
    extractCalls: 0,
    jsonFailures: 0,
    answerFailures: new Map(),
    repairs: new Map(),
    dropped: new Map(),
    extracted: 0,
    deduped: 0,
    prefilteredTurns: 0,
    inputTokens: 0,
    outputTokens: 0,
    byStage: { exact: 0, alias: 0, fuzzy: 0, fallback: 0 },
    latencies: [],
  };
}

function emptyPairs(): PairTotals {
  return {
    pairs: 0,
    byEvidence: 0,
    bySubjectObject: 0,
    predicateChanged: 0,
    typeChanged: 0,
    subjectTextChanged: 0,
    subjectEntityChanged: 0,
    subjectExamples: [],
    predicateChanges: new Map(),
    typeChanges: new Map(),
    typeMoves: new Map(),
    baselineOnly: 0,
    candidateOnly: 0,
  };
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Operating metrics count every dry run a config logged, failed and unpaired ones included. */
function addOperating(side: SideTotals, result: DryRunResult): void {
  const c = result.counts;
  side.attempted++;
  side.extractCalls += c.extract_calls;
  side.jsonFailures += c.json_failures;
  for (const [reason, n] of Object.entries(c.answer_failures ?? {})) increment(side.answerFailures, reason, n);
  for (const [reason, n] of Object.entries(c.repairs ?? {})) increment(side.repairs, reason, n);
  for (const [reason, n] of Object.entries(c.dropped ?? {})) increment(side.dropped, reason, n);
  side.extracted += c.extracted;
  side.deduped += c.deduped;
  side.prefilteredTurns += c.prefiltered_turns;
  side.inputTokens += result.usage.input_tokens;
  side.outputTokens += result.usage.output_tokens;
  side.byStage.exact += c.resolved_by_stage.exact;
  side.byStage.alias += c.resolved_by_stage.alias;
  side.byStage.fuzzy += c.resolved_by_stage.fuzzy;
  side.byStage.fallback += c.resolved_by_stage.fallback;
  side.latencies.push(result.latency_ms);
}

function addCandidate(side: SideTotals, candidate: Candidate): void {
  side.confidence.set(candidate.confidence, (side.confidence.get(candidate.confidence) ?? 0) + 1);
  increment(side.types, candidate.type);
  increment(side.predicates, candidate.predicate);
  let facts = side.facts.get(candidate.predicate);
  if (!facts) side.facts.set(candidate.predicate, (facts = new Map()));
  increment(facts, factKey(candidate));
  for (const entity of candidate.entities) if (entity.stage === "fallback") increment(side.unresolved, entity.mention);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first `limit` items in `order`: the same items whatever order they were added in. */
function bounded<T>(items: T[], limit: number, order: (a: T, b: T) => number): T[] {
  return [...items].sort(order).slice(0, limit);
}

const STAGE_ORDER: Record<string, number> = { dry_run: 0, coverage: 1, usefulness: 2, junk: 3 };

function errorOrder(at: (id: string) => number): (a: RunErrorEntry, b: RunErrorEntry) => number {
  const stage = (e: RunErrorEntry) => STAGE_ORDER[e.stage === "dry_run" ? "dry_run" : e.kind] ?? 4;
  return (a, b) => compareText(a.role, b.role) || at(a.conversation_id) - at(b.conversation_id) || compareText(a.conversation_id, b.conversation_id) || stage(a) - stage(b);
}

/** Which missed memories a bounded report keeps: those the other config covered (what changed) first, then in dataset order. */
function missedPriority(a: { memory: MissedMemory; position: number; index: number }, b: { memory: MissedMemory; position: number; index: number }): number {
  return (
    Number(b.memory.covered_by_other) - Number(a.memory.covered_by_other) ||
    compareText(a.memory.role, b.memory.role) ||
    a.position - b.position ||
    compareText(a.memory.conversation_id, b.memory.conversation_id) ||
    a.index - b.index
  );
}

function junkOrder(at: (id: string) => number): (a: JunkExample, b: JunkExample) => number {
  return (a, b) =>
    compareText(a.role, b.role) || at(a.conversation_id) - at(b.conversation_id) || compareText(a.conversation_id, b.conversation_id) || a.candidate_index - b.candidate_index;
}

/** Distinct subject changes, in dataset order. */
export function subjectExamples(examples: PairTotals["subjectExamples"]): PairTotals["subjectExamples"] {
  const seen = new Set<string>();
  return [...examples]
    .sort((a, b) => a.position - b.position)
    .filter((e) => {
      const key = `${e.from}\u0000${e.to}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** A resumed run logs its model usage again for the part it did: the two add up, per scope and model. */
export function mergeUsage(before: ModelUsageRecord, after: ModelUsageRecord): ModelUsageRecord {
  const key = (a: ModelUsage) => `${a.scope}\u0000${a.provider}\u0000${a.model}`;
  const merged = new Map(before.accounts.map((a) => [key(a), { ...a }]));
  for (const account of after.accounts) {
    const prior = merged.get(key(account));
    if (!prior) {
      merged.set(key(account), { ...account });
      continue;
    }
    for (const field of ["requests", "calls", "batch_calls", "cache_hits", "retries", "failures", "input_tokens", "output_tokens", "reasoning_tokens", "cache_read_tokens", "cache_write_tokens"] as const) prior[field] += account[field];
    prior.cost_usd = prior.cost_usd === null || account.cost_usd === null ? null : prior.cost_usd + account.cost_usd;
  }
  const record: ModelUsageRecord = { ...after, accounts: [...merged.values()] };
  return record;
}

/** Fold run-log records (the first must be run_start). Throws when it is not. */
export function indexRunLog(records: Iterable<RunLogRecord>): RunData {
  const fold = new RunFold();
  let first = true;
  for (const record of records) {
    if (first && record.kind !== "run_start") throw new Error("run log does not start with a run_start record");
    first = false;
    fold.add(record);
  }
  return fold.finish();
}
