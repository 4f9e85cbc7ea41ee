import type { HeuristicJudgeConfig } from "../../schema/bench-config.js";
import type { Candidate } from "../../schema/candidate.js";
import type { Conversation } from "../../schema/conversation.js";
import type { UsefulnessVerdict } from "../../schema/verdict.js";
import { USEFUL_RATING, type Judge } from "../judge.js";
import { judgeCoverageLexically } from "./coverage.js";
import { findJunkAll, type JunkFinding } from "./junk-rules.js";
import { usefulnessDeductions } from "./usefulness-rules.js";

const SEVERE_JUNK = new Set(["about_assistant", "restated_instructions", "tool_dump", "chit_chat", "no_context"]);

/**
 * The junk rules' findings for a conversation's candidates, kept while the candidates array lives:
 * a unit's usefulness and its junk judgement read the same array, and the rules are most of the cost
 * of both. Candidates are not changed once extracted.
 */
const junkFound = new WeakMap<
  readonly Candidate[],
  { conversation: Conversation; findings: Array<JunkFinding | undefined> }
>();

function junkFindings(conversation: Conversation, candidates: Candidate[]): Array<JunkFinding | undefined> {
  const held = junkFound.get(candidates);
  if (held?.conversation === conversation) return held.findings;
  const findings = findJunkAll(conversation, candidates);
  junkFound.set(candidates, { conversation, findings });
  return findings;
}

/**
 * 1–5 from the junk rules and the usefulness rules; the reason names what cost points. A memory
 * without evidence turns is judged against the conversation and loses nothing for the missing field.
 */
export function rateCandidate(
  candidate: Candidate,
  junk: JunkFinding | undefined,
  conversation: Conversation,
): Omit<UsefulnessVerdict, "candidate_index"> {
  if (junk) {
    const rating = SEVERE_JUNK.has(junk.category) ? 1 : 2;
    return { rating, useful: false, reason: `junk (${junk.category}): ${junk.reason}` };
  }
  const deductions = usefulnessDeductions(candidate, conversation);
  const rating = Math.max(1, 5 - deductions.reduce((sum, d) => sum + d.points, 0));
  return {
    rating,
    useful: rating >= USEFUL_RATING,
    reason: deductions.length === 0 ? "specific, supported, standalone" : deductions.map((d) => d.reason).join("; "),
  };
}

/**
 * The offline judge: lexical coverage, rule-based junk detection and usefulness from rules of its
 * own (a memory that stands alone, is still true, says something, says one thing). Deterministic and
 * free; not a language model, and the report says so. It never reads the extractor's confidence and
 * shares no rule list with any extractor.
 */
export function createHeuristicJudge(settings: HeuristicJudgeConfig): Judge {
  return {
    id: "heuristic",
    kind: "heuristic",
    free: true,
    description:
      `Heuristic judge (not an LLM): coverage when a candidate carries ≥ ${settings.coverage_threshold} of a golden memory's content words ` +
      `(≥ ${settings.evidence_coverage_threshold} when evidence turns overlap), junk by rules, usefulness by rules of its own (standalone, still true, specific, atomic).`,
    async coverage(input) {
      return judgeCoverageLexically(input.conversation, input.golden, input.candidates, settings);
    },
    async usefulness(input) {
      const findings = junkFindings(input.conversation, input.candidates);
      return input.candidates.map((candidate, index) => ({
        candidate_index: index,
        ...rateCandidate(candidate, findings[index], input.conversation),
      }));
    },
    async junk(input, indexes) {
      const findings = junkFindings(input.conversation, input.candidates);
      return indexes.map((index) => {
        const finding = findings[index];
        return finding
          ? { candidate_index: index, junk: true, category: finding.category, reason: finding.reason }
          : { candidate_index: index, junk: false, category: null, reason: "no junk rule applies" };
      });
    },
  };
}
