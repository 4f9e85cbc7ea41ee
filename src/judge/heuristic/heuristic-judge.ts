import type { HeuristicJudgeConfig } from "../../schema/bench-config.js";
import type { Candidate } from "../../schema/candidate.js";
import type { UsefulnessVerdict } from "../../schema/verdict.js";
import { tokenSet } from "../../text/tokens.js";
import { USEFUL_RATING, type Judge } from "../judge.js";
import { judgeCoverageLexically } from "./coverage.js";
import { findJunkAll, type JunkFinding } from "./junk-rules.js";

const SEVERE_JUNK = new Set(["about_assistant", "restated_instructions", "tool_dump", "chit_chat", "no_context"]);
const MAX_ATOMIC_OBJECT_WORDS = 6;
const LOW_CONFIDENCE = 0.3;

/** 1–5 from the junk rules and the candidate's structure; the reason names what cost points. */
export function rateCandidate(candidate: Candidate, junk: JunkFinding | undefined): Omit<UsefulnessVerdict, "candidate_index"> {
  if (junk) {
    const rating = SEVERE_JUNK.has(junk.category) ? 1 : 2;
    return { rating, useful: false, reason: `junk (${junk.category}): ${junk.reason}` };
  }
  const deductions: string[] = [];
  if (candidate.evidence.length === 0) deductions.push("no evidence turns");
  if (candidate.object.trim().split(/\s+/).length > MAX_ATOMIC_OBJECT_WORDS) deductions.push("object is not atomic");
  if (candidate.confidence < LOW_CONFIDENCE) deductions.push("low confidence");
  if (![...tokenSet(candidate.object)].some((t) => tokenSet(candidate.text).has(t))) deductions.push("text does not state the object");
  const rating = Math.max(1, 5 - deductions.length);
  return {
    rating,
    useful: rating >= USEFUL_RATING,
    reason: deductions.length === 0 ? "specific, supported, atomic" : deductions.join("; "),
  };
}


/**
 * The offline judge: lexical coverage, rule-based junk detection and structural usefulness.
 * Deterministic and free; not a language model, and the report says so.
 */
export function createHeuristicJudge(settings: HeuristicJudgeConfig): Judge {
  return {
    id: "heuristic",
    kind: "heuristic",
    free: true,
    description:
      `Heuristic judge (not an LLM): coverage when a candidate carries ≥ ${settings.coverage_threshold} of a golden memory's content words ` +
      `(≥ ${settings.evidence_coverage_threshold} when evidence turns overlap), junk by rules, usefulness from structure and junk rules.`,
    async coverage(input) {
      return judgeCoverageLexically(input.conversation, input.golden, input.candidates, settings);
    },
    async usefulness(input) {
      const findings = findJunkAll(input.conversation, input.candidates);
      return input.candidates.map((candidate, index) => ({ candidate_index: index, ...rateCandidate(candidate, findings[index]) }));
    },
    async junk(input, indexes) {
      const findings = findJunkAll(input.conversation, input.candidates);
      return indexes.map((index) => {
        const finding = findings[index];
        return finding
          ? { candidate_index: index, junk: true, category: finding.category, reason: finding.reason }
          : { candidate_index: index, junk: false, category: null, reason: "no junk rule applies" };
      });
    },
  };
}
