import type { CoverageVerdict, UsefulnessVerdict } from "../../schema/verdict.js";
import { type JudgeInput, USEFUL_RATING } from "../judge.js";
import type { AssessAnswerSchema } from "./judge-answers.js";
import type { z } from "zod";

/** What one side's memories of one conversation were judged to be: both verdict lists from the same calls. */
export interface Assessment {
  usefulness: UsefulnessVerdict[];
  coverage: CoverageVerdict[];
}

/**
 * Folds the answers of one side's assess calls into its verdicts: every memory's usefulness rating,
 * and for each golden memory the best coverage score any call gave and the memories that reached it.
 * `coverage` holds the golden memories the cheap match already settled; a golden memory no one
 * covered is reported as not covered.
 */
export function assessmentFromAnswers(
  golden: JudgeInput["golden"],
  coverage: Map<string, CoverageVerdict>,
  answers: { value: z.infer<typeof AssessAnswerSchema> }[],
): Assessment {
  const usefulness: UsefulnessVerdict[] = [];
  const best = new Map<string, { score: number; indexes: Set<number> }>();
  for (const { value } of answers) {
    for (const rating of value.memories)
      usefulness.push({
        candidate_index: rating.index,
        rating: rating.rating,
        useful: rating.rating >= USEFUL_RATING,
        reason: rating.reason,
      });
    for (const entry of value.coverage) {
      const seen = best.get(entry.golden_id) ?? { score: 0, indexes: new Set<number>() };
      if (entry.score > seen.score)
        best.set(entry.golden_id, { score: entry.score, indexes: new Set(entry.candidate_indexes) });
      else if (entry.score === seen.score && entry.score > 0)
        for (const i of entry.candidate_indexes) seen.indexes.add(i);
      if (!best.has(entry.golden_id)) best.set(entry.golden_id, seen);
    }
  }
  usefulness.sort((a, b) => a.candidate_index - b.candidate_index);
  for (const [goldenId, { score, indexes }] of best) {
    const sorted = [...indexes].sort((a, b) => a - b);
    coverage.set(goldenId, {
      golden_id: goldenId,
      covered: score === 2,
      candidate_indexes: score === 2 ? sorted : [],
      score: score / 2,
      method: "llm",
      ...(score === 1 ? { partial: true } : {}),
    });
  }
  return {
    usefulness,
    coverage: golden.map(
      (memory) =>
        coverage.get(memory.id) ?? {
          golden_id: memory.id,
          covered: false,
          candidate_indexes: [],
          score: 0,
          method: "none" as const,
        },
    ),
  };
}
