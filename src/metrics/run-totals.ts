import type { RunErrorEntry } from "../schema/report.js";
import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import type { ConversationRecords, Judgement } from "./conversation-records.js";
import type { DryRunFailures } from "./conversation-rows.js";
import { COL, ConversationTable, FLAG, JUNK, junkOffset, sideOffset } from "./conversation-table.js";
import { compareText } from "./order.js";
import { addPair, emptyPairs, type PairTotals } from "./pair-totals.js";
import { addOperating, addPairedSide, emptySide, increment, mentionsOf, type SideTotals } from "./side-totals.js";

/**
 * The running totals of a run: every conversation's counts in the table, each config's sums, the
 * pairs' changes, the junk judgements and the errors, added to as conversations settle. Memory grows
 * with these accumulators, not with the candidates.
 */
export class RunTotals {
  /** Every conversation's counts, a few dozen bytes each. */
  readonly table = new ConversationTable();
  readonly sides: Record<ConfigRole, SideTotals> = { baseline: emptySide(), candidate: emptySide() };
  readonly pairs: PairTotals = emptyPairs();
  /** Failed dry runs and judgements, as the report lists them (failed junk judgements: see junkErrors). */
  readonly errors: RunErrorEntry[] = [];
  /** Failed dry runs (rare): what the conversation rows show. */
  readonly failures: DryRunFailures = new Map();
  /** Junk categories of a conversation and config (key: role NUL id), where the judge found junk. */
  readonly junkCategories = new Map<string, Record<string, number>>();
  private readonly junkFailures = new Map<string, { role: ConfigRole; id: string; message: string }>();

  /** Add one conversation's records; false when it has no dry run (judgements alone count nothing). */
  settle(id: string, records: ConversationRecords): boolean {
    const slot = this.table.slot(id);
    this.table.setFlag(slot, FLAG.settled);
    const first = records.dryRuns.baseline ?? records.dryRuns.candidate;
    if (!first) return false;
    this.table.setFlag(slot, FLAG.row);
    if (first.position !== undefined) this.table.setPosition(slot, first.position);
    const paired = CONFIG_ROLES.every(
      (role) => records.dryRuns[role] !== undefined && !records.dryRuns[role]!.result.error,
    );
    if (paired) this.table.setFlag(slot, FLAG.paired);
    this.table.set(slot, COL.turns, first.result.counts.turns);
    this.table.set(slot, COL.golden, first.golden ?? 0);
    for (const role of CONFIG_ROLES) this.settleSide(id, slot, role, records, paired);
    if (paired) addPair(this.pairs, this.table.position(slot), records);
    return true;
  }

  private settleSide(id: string, slot: number, role: ConfigRole, records: ConversationRecords, paired: boolean): void {
    const side = this.sides[role];
    const record = records.dryRuns[role];
    const coverage = records.coverage[role];
    const usefulness = records.usefulness[role];
    for (const judgement of [coverage, usefulness]) {
      if (!judgement?.error) continue;
      increment(side.judgeErrors, judgement.task);
      this.errors.push({ role, conversation_id: id, stage: "judge", kind: judgement.task, message: judgement.error });
    }
    if (!record) return;
    const result = record.result;
    addOperating(side, result);
    const at = sideOffset(role);
    const usefulItems = usefulness && !usefulness.error ? usefulness.items : [];
    const coverageItems = coverage && !coverage.error ? coverage.items : [];
    this.table.set(slot, COL.candidates + at, result.candidates.length);
    this.table.set(slot, COL.covered + at, coverageItems.filter((v) => v.covered).length);
    this.table.set(slot, COL.useful + at, usefulItems.filter((v) => v.useful).length);
    this.table.set(slot, COL.judged + at, usefulItems.length);
    this.table.set(slot, COL.coverageJudged + at, coverageItems.length);
    // The coverage verdicts a model gave: only they can flip when judged again (a cheap match cannot).
    const modelCoverage = coverageItems.filter((v) => v.method === "llm");
    this.table.set(slot, COL.modelCovered + at, modelCoverage.filter((v) => v.covered).length);
    this.table.set(slot, COL.modelCoverageJudged + at, modelCoverage.length);
    this.table.set(slot, COL.mentions + at, mentionsOf(result));
    this.table.set(slot, COL.fallback + at, result.counts.resolved_by_stage.fallback);
    if (result.error) {
      this.table.setFlag(slot, role === "baseline" ? FLAG.failedBaseline : FLAG.failedCandidate);
      const failure = this.failures.get(id) ?? {};
      failure[role] = {
        error: `${result.error.kind}: ${result.error.message}`,
        ...(result.stderr ? { stderr: result.stderr } : {}),
      };
      this.failures.set(id, failure);
      side.failed++;
      increment(side.failedByKind, result.error.kind);
      this.errors.push({
        role,
        conversation_id: id,
        stage: "dry_run",
        kind: result.error.kind,
        message: result.error.message,
      });
    }
    if (paired)
      addPairedSide(side, result, { usefulness: usefulItems, coverage: coverageItems, fields: coverage?.fields });
  }

  /** A junk judgement that counts: it replaces an earlier one of the same conversation and config. */
  addJunk(record: Judgement<"junk">): void {
    const slot = this.table.slot(record.conversation_id);
    const key = `${record.role}\u0000${record.conversation_id}`;
    const offset = junkOffset(record.role);
    this.junkCategories.delete(key);
    this.junkFailures.delete(key);
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
    }
    this.table.setJunkState(slot, record.role, JUNK.judged);
    this.table.set(slot, COL.junk + offset, junk);
    this.table.set(slot, COL.junkJudged + offset, record.items.length);
    if (junk > 0) this.junkCategories.set(key, categories);
  }

  /** Every error of the run, failed junk judgements included (counted as judge errors once, here), in a stable order. */
  allErrors(): RunErrorEntry[] {
    const junkErrors = [...this.junkFailures.values()].map(({ role, id, message }) => {
      increment(this.sides[role].judgeErrors, "junk");
      return { role, conversation_id: id, stage: "judge" as const, kind: "junk", message };
    });
    return this.errors.concat(junkErrors).sort(errorOrder((id) => this.table.positionOf(id)));
  }
}

const STAGE_ORDER: Record<string, number> = { dry_run: 0, coverage: 1, usefulness: 2, junk: 3 };

function errorOrder(at: (id: string) => number): (a: RunErrorEntry, b: RunErrorEntry) => number {
  const stage = (e: RunErrorEntry) => STAGE_ORDER[e.stage === "dry_run" ? "dry_run" : e.kind] ?? 4;
  return (a, b) =>
    compareText(a.role, b.role) ||
    at(a.conversation_id) - at(b.conversation_id) ||
    compareText(a.conversation_id, b.conversation_id) ||
    stage(a) - stage(b);
}
