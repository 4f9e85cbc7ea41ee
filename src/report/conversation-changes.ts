import type { BenchReport, ConversationResult } from "../schema/report.js";

export interface ConversationChange {
  result: ConversationResult;
  /** Golden memories covered by the candidate minus those covered by the baseline. */
  coveredDelta: number;
  candidatesDelta: number;
  usefulDelta: number;
  failed: boolean;
}

function magnitude(change: ConversationChange): number[] {
  return [
    change.failed ? 1 : 0,
    Math.abs(change.coveredDelta),
    Math.abs(change.candidatesDelta),
    Math.abs(change.usefulDelta),
  ];
}

/** Per-conversation results, largest change first: failures, then golden coverage, candidates, useful candidates. */
export function rankConversationChanges(report: BenchReport): ConversationChange[] {
  const changes = report.conversations.map((result) => ({
    result,
    coveredDelta: result.candidate.covered - result.baseline.covered,
    candidatesDelta: result.candidate.candidates - result.baseline.candidates,
    usefulDelta: result.candidate.useful - result.baseline.useful,
    failed: result.baseline.error !== undefined || result.candidate.error !== undefined,
  }));
  return changes.sort((a, b) => {
    const [ma, mb] = [magnitude(a), magnitude(b)];
    for (let i = 0; i < ma.length; i++) if (ma[i] !== mb[i]) return mb[i]! - ma[i]!;
    return a.result.conversation_id < b.result.conversation_id
      ? -1
      : a.result.conversation_id > b.result.conversation_id
        ? 1
        : 0;
  });
}
