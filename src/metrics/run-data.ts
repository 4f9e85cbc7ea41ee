import type { ConversationResult, JunkExample, MissedMemory, RunErrorEntry } from "../schema/report.js";
import type { RetrievalRecord } from "../schema/retrieval-record.js";
import type { ConfigRole, ModelUsageRecord, PairwiseRecord, RunEnd, RunStart } from "../schema/run-log.js";
import type { JudgedCandidate } from "./agreement.js";
import type { ConversationTable } from "./conversation-table.js";
import type { DryRunSample } from "./reextraction-cost.js";
import type { RepeatAgreementCounts } from "./repeat-agreement.js";
import type { PairTotals } from "./pair-totals.js";
import type { SideTotals } from "./side-totals.js";

export { MAX_CONVERSATION_ROWS } from "./conversation-rows.js";
export { subjectExamples, type PairTotals } from "./pair-totals.js";
export { MAX_JUNK_EXAMPLES, MAX_MISSED_EXAMPLES } from "./report-examples.js";
export type { SideTotals } from "./side-totals.js";

/** The run log, folded (see run/run-fold.ts): what every metric of the report is computed from. */
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
  noise: RepeatAgreementCounts | null;
  /** Candidates of the conversations with human labels, with the judge's verdicts. */
  judged: JudgedCandidate[];
  dryRunSamples: Record<ConfigRole, DryRunSample>;
  /** The retrieval simulation's measurements per scope, in dataset order; empty when it did not run. */
  retrieval: RetrievalRecord[];
}

/** What a run folded so far shows while it runs: what the junk sample grows from. */
export interface RunSoFar {
  start: RunStart | undefined;
  table: ConversationTable;
  /** The judge-noise repeats so far against the judgements they repeat. */
  repeatAgreement(): RepeatAgreementCounts | null;
}
