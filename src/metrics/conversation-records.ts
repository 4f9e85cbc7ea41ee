import type { ConfigRole, DryRunRecord, JudgementRecord } from "../schema/run-log.js";

/** The judgement record of one task. */
export type Judgement<T extends JudgementRecord["task"]> = Extract<JudgementRecord, { task: T }>;

/** The records of one conversation that count, per config: what the conversation is settled from. */
export interface ConversationRecords {
  dryRuns: Partial<Record<ConfigRole, DryRunRecord>>;
  coverage: Partial<Record<ConfigRole, Judgement<"coverage">>>;
  usefulness: Partial<Record<ConfigRole, Judgement<"usefulness">>>;
  junk: Partial<Record<ConfigRole, Judgement<"junk">>>;
}

export function emptyConversationRecords(): ConversationRecords {
  return { dryRuns: {}, coverage: {}, usefulness: {}, junk: {} };
}

/** Golden memory id → covered, from a coverage judgement that did not fail (empty otherwise). */
export function coveredByGolden(record: Judgement<"coverage"> | undefined): Map<string, boolean> {
  return new Map((record && !record.error ? record.items : []).map((v) => [v.golden_id, v.covered]));
}
