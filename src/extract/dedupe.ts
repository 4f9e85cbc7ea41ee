import type { Candidate } from "../schema/candidate.js";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import { dice, tokenSet } from "../text/tokens.js";

function sameFact(a: Candidate, b: Candidate): boolean {
  return (
    a.subject.toLowerCase() === b.subject.toLowerCase() &&
    a.predicate === b.predicate &&
    a.object.trim().toLowerCase() === b.object.trim().toLowerCase()
  );
}

export interface DedupeResult {
  kept: Candidate[];
  collapsed: number;
}

/**
 * Collapse candidates equivalent to one already kept (same subject, canonical predicate and object,
 * or near-identical text) into it: evidence is merged and the higher confidence kept.
 */
export function dedupeCandidates(candidates: Candidate[], settings: ExtractorConfig["dedupe"]): DedupeResult {
  if (!settings.enabled) return { kept: candidates, collapsed: 0 };
  const kept: Candidate[] = [];
  const keptTokens: Set<string>[] = [];
  let collapsed = 0;
  for (const candidate of candidates) {
    const tokens = tokenSet(candidate.text);
    const index = kept.findIndex(
      (other, i) => sameFact(other, candidate) || dice(keptTokens[i]!, tokens) >= settings.text_similarity,
    );
    if (index === -1) {
      kept.push({ ...candidate, evidence: [...candidate.evidence] });
      keptTokens.push(tokens);
      continue;
    }
    collapsed++;
    const into = kept[index]!;
    for (const turnId of candidate.evidence) if (!into.evidence.includes(turnId)) into.evidence.push(turnId);
    into.confidence = Math.max(into.confidence, candidate.confidence);
  }
  return { kept, collapsed };
}
