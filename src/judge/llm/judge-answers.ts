import { z } from "zod";
import { JunkCategorySchema } from "../../schema/verdict.js";

const index = z.number().int().min(0);

export const RatingsAnswerSchema = z
  .object({ ratings: z.array(z.object({ index, rating: z.number().int().min(1).max(5), reason: z.string() }).strict()) })
  .strict();

export const CoverageAnswerSchema = z
  .object({ coverage: z.array(z.object({ golden_id: z.string(), candidate_indexes: z.array(index) }).strict()) })
  .strict();

export const JunkAnswerSchema = z
  .object({
    verdicts: z.array(z.object({ index, junk: z.boolean(), category: JunkCategorySchema.nullable(), reason: z.string() }).strict()),
  })
  .strict();

export const PairwiseAnswerSchema = z.object({ winner: z.enum(["A", "B", "tie"]), reason: z.string() }).strict();

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
