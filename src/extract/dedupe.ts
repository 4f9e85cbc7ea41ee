import type { Candidate } from "../schema/candidate.js";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import { SimilarityIndex } from "../text/similarity-index.js";
import { tokenSet } from "../text/tokens.js";

/**
 * The entity a candidate is about: the id its subject resolved to, so "Alice" and "Ms. Alice" are
 * the same subject when both resolve to the same entity; the subject string when it was not resolved.
 */
export function subjectEntity(candidate: Candidate): string {
  const subject = candidate.subject.trim();
  const resolved = candidate.entities.find((e) => e.mention === subject);
  return resolved ? resolved.id : `subject:${subject.toLowerCase()}`;
}

/** Same subject entity, canonical predicate and object: the same fact. */
function factKey(candidate: Candidate): string {
  return `${subjectEntity(candidate)}\u0000${candidate.predicate}\u0000${candidate.object.trim().toLowerCase()}`;
}

export interface DedupeResult {
  kept: Candidate[];
  collapsed: number;
}

/**
 * Collapse candidates equivalent to one already kept (same subject entity, canonical predicate and
 * object, or near-identical text) into the first such: evidence is merged and the higher confidence
 * kept. Indexed, so a conversation of thousands of candidates costs what its similar pairs cost.
 */
export function dedupeCandidates(candidates: Candidate[], settings: ExtractorConfig["dedupe"]): DedupeResult {
  if (!settings.enabled) return { kept: candidates, collapsed: 0 };
  const tokens = candidates.map((c) => tokenSet(c.text));
  const similar = new SimilarityIndex(tokens, settings.text_similarity);
  const byFact = new Map<string, number>();
  const kept: Candidate[] = [];
  let collapsed = 0;
  candidates.forEach((candidate, i) => {
    const key = factKey(candidate);
    const sameFact = byFact.get(key);
    const sameText = similar.firstSimilar(tokens[i]!);
    const index = sameFact === undefined ? sameText : sameText === undefined ? sameFact : Math.min(sameFact, sameText);
    if (index === undefined) {
      byFact.set(key, kept.length);
      similar.add(kept.length, tokens[i]!);
      kept.push({ ...candidate, evidence: [...candidate.evidence] });
      return;
    }
    collapsed++;
    const into = kept[index]!;
    for (const turnId of candidate.evidence) if (!into.evidence.includes(turnId)) into.evidence.push(turnId);
    into.confidence = Math.max(into.confidence, candidate.confidence);
  });
  return { kept, collapsed };
}
