import type { JunkExample, MissedMemory } from "../schema/report.js";
import { CONFIG_ROLES } from "../schema/run-log.js";
import type { JudgedCandidate } from "./agreement.js";
import { coveredByGolden, type ConversationRecords, type Judgement } from "./conversation-records.js";
import { bounded, compareText } from "./order.js";

/** How many examples of each kind a report keeps: enough to read, bounded however large the run. */
export const MAX_MISSED_EXAMPLES = 200;
export const MAX_JUNK_EXAMPLES = 200;

/** A missed memory with its conversation's position and its place in the conversation's coverage verdicts. */
interface PlacedMissed {
  memory: MissedMemory;
  position: number;
  index: number;
}

/**
 * The examples a report quotes (missed golden memories, junk candidates) and the candidates of the
 * conversations with human labels. Examples are kept bounded as they come, in an order that does not
 * depend on the order units finished: the same run gives the same examples.
 */
export class ReportExamples {
  private missed: PlacedMissed[] = [];
  private junk: JunkExample[] = [];
  private readonly judged: JudgedCandidate[] = [];

  /** `positionOf`: a conversation's position in the dataset (see ConversationTable.positionOf). */
  constructor(private readonly positionOf: (id: string) => number) {}

  /** The golden memories each config left uncovered in one conversation. */
  addMissed(id: string, records: ConversationRecords): void {
    const byBaseline = coveredByGolden(records.coverage.baseline);
    const byCandidate = coveredByGolden(records.coverage.candidate);
    const position = this.positionOf(id);
    for (const role of CONFIG_ROLES) {
      const coverage = records.coverage[role];
      if (!coverage || coverage.error) continue;
      const other = role === "baseline" ? byCandidate : byBaseline;
      for (const [index, verdict] of coverage.items.entries()) {
        if (verdict.covered) continue;
        const memory: MissedMemory = {
          role,
          conversation_id: id,
          golden_id: verdict.golden_id,
          text: coverage.missed_text?.[verdict.golden_id] ?? "",
          covered_by_other: other.get(verdict.golden_id) === true,
          evidence: coverage.missed_evidence[verdict.golden_id] ?? [],
        };
        this.missed.push({ position, index, memory });
      }
    }
    if (this.missed.length > MAX_MISSED_EXAMPLES * 8)
      this.missed = bounded(this.missed, MAX_MISSED_EXAMPLES * 2, missedPriority);
  }

  /** The candidates a junk judgement (that did not fail) found junk. */
  addJunk(record: Judgement<"junk">): void {
    for (const verdict of record.items) {
      if (!verdict.junk) continue;
      this.junk.push({
        role: record.role,
        conversation_id: record.conversation_id,
        candidate_index: verdict.candidate_index,
        text: record.texts?.[String(verdict.candidate_index)] ?? "",
        category: verdict.category,
        reason: verdict.reason,
      });
    }
    if (this.junk.length > MAX_JUNK_EXAMPLES * 8)
      this.junk = bounded(this.junk, MAX_JUNK_EXAMPLES * 2, junkOrder(this.positionOf));
  }

  /** What the judge said about each candidate of a conversation with human labels. */
  addJudged(id: string, records: ConversationRecords): void {
    for (const role of CONFIG_ROLES) {
      const record = records.dryRuns[role];
      if (!record) continue;
      const usefulness = records.usefulness[role];
      const junk = records.junk[role];
      const rated = new Map(
        (usefulness && !usefulness.error ? usefulness.items : []).map((v) => [v.candidate_index, v]),
      );
      const sampled = new Map((junk && !junk.error ? junk.items : []).map((v) => [v.candidate_index, v]));
      record.result.candidates.forEach((candidate, index) => {
        const judged: JudgedCandidate = { role, conversation_id: id, text: candidate.text };
        const verdict = rated.get(index);
        if (verdict) Object.assign(judged, { rating: verdict.rating, useful: verdict.useful });
        const junkVerdict = sampled.get(index);
        if (junkVerdict) Object.assign(judged, { junk: junkVerdict.junk, junk_category: junkVerdict.category });
        this.judged.push(judged);
      });
    }
  }

  /** The missed memories a report shows: those the other config covered first, then by config and dataset order. */
  missedExamples(): MissedMemory[] {
    return bounded(this.missed, MAX_MISSED_EXAMPLES * 2, missedPriority)
      .sort((a, b) => compareText(a.memory.role, b.memory.role) || a.position - b.position || a.index - b.index)
      .map((m) => m.memory);
  }

  junkExamples(): JunkExample[] {
    return bounded(this.junk, MAX_JUNK_EXAMPLES * 2, junkOrder(this.positionOf));
  }

  /** The judged candidates in dataset order: conversations settle in the order their units finished, which reports must not show. */
  judgedCandidates(): JudgedCandidate[] {
    return [...this.judged].sort((a, b) => this.positionOf(a.conversation_id) - this.positionOf(b.conversation_id));
  }
}

/** Which missed memories a bounded report keeps: those the other config covered (what changed) first, then in dataset order. */
function missedPriority(a: PlacedMissed, b: PlacedMissed): number {
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
    compareText(a.role, b.role) ||
    at(a.conversation_id) - at(b.conversation_id) ||
    compareText(a.conversation_id, b.conversation_id) ||
    a.candidate_index - b.candidate_index;
}
