import type { Candidate } from "../schema/candidate.js";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import { dice, tokenSet } from "../text/tokens.js";

/**
 * The entity a candidate is about: the id its subject resolved to, so "Alice" and "Ms. Alice" are
 * the same subject when both resolve to the same entity; the subject string when it was not resolved.
 */
export function subjectEntity(candidate: Candidate): string {
  const subject = candidate.subject.trim();
  const resolved = candidate.entities.find((e) => e.mention === subject);
  return resolved ? resolved.id : `subject:${subject.toLowerCase()}`;
}

function sameFact(a: Candidate, b: Candidate): boolean {
  return (
    subjectEntity(a) === subjectEntity(b) &&
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
  const keptTokens: ReadonlySet<string>[] = [];
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
