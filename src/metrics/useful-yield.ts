import { ratio } from "./numbers.js";

/** The counts of one config over the paired conversations that its useful yield is read from. */
export interface YieldCounts {
  conversations: number;
  candidates: number;
  /** Candidates the judge rated useful, out of those it judged. */
  useful: number;
  judged: number;
}

/**
 * Useful memories per conversation: precision × extractions per conversation. A candidate that
 * extracts more but less precisely can still keep more useful memories, and one that looks more
 * precise can keep fewer; this is the net of the two. Precision is read from the judged candidates
 * alone, so a sampled judge still gives the yield of every candidate. Null when nothing was judged
 * or no conversation was paired.
 */
export function usefulPerConversation(counts: YieldCounts): number | null {
  const precision = ratio(counts.useful, counts.judged);
  const perConversation = ratio(counts.candidates, counts.conversations);
  return precision === null || perConversation === null ? null : precision * perConversation;
}
