import { z } from "zod";
import { JunkCategorySchema } from "../../schema/verdict.js";

const index = z.number().int().min(0);
/** Every verdict gives its reason before its score: the model reasons, then decides. */
const reason = z.string().describe("Why, in one or two sentences, written before the score.");

/** Usefulness of a side's memories and their coverage of the golden memories, in one answer. */
export const AssessAnswerSchema = z
  .object({
    memories: z.array(z.object({ index, reason, rating: z.number().int().min(1).max(5) }).strict()),
    coverage: z.array(
      z
        .object({
          golden_id: z.string(),
          reason,
          score: z.number().int().min(0).max(2),
          candidate_indexes: z.array(index),
        })
        .strict(),
    ),
  })
  .strict();

export const JunkAnswerSchema = z
  .object({
    verdicts: z.array(z.object({ index, reason, junk: z.boolean(), category: JunkCategorySchema.nullable() }).strict()),
  })
  .strict();

export const PairwiseAnswerSchema = z.object({ reason, winner: z.enum(["A", "B", "tie"]) }).strict();

/**
 * The answer names every asked item exactly once and nothing else; returns what is wrong, or
 * undefined when the set matches.
 */
export function checkAnswered<T>(asked: T[], answered: T[], what: string): string | undefined {
  const expected = new Set(asked);
  const seen = new Set<T>();
  for (const item of answered) {
    if (!expected.has(item)) return `the answer names ${what} ${String(item)}, which was not asked`;
    if (seen.has(item)) return `the answer names ${what} ${String(item)} twice`;
    seen.add(item);
  }
  const missing = asked.filter((item) => !seen.has(item));
  return missing.length > 0 ? `the answer leaves out ${what} ${missing.map(String).join(", ")}` : undefined;
}
