import type { BenchConfig } from "../schema/bench-config.js";
import type { JudgeInfo } from "../schema/run-log.js";
import { seededUnit } from "./random.js";

/** The share of conversations judged twice: the LLM judge's `repeat_share`; 0 for a heuristic judge. */
export function noiseShare(judge: BenchConfig["judge"], kind: JudgeInfo["kind"]): number {
  return kind === "llm" && typeof judge === "object" && "repeat_share" in judge ? judge.repeat_share : 0;
}

/**
 * The conversations judged a second time to measure judge noise: each one whose seeded hash of its id
 * falls below `share`, so about that share of them; when the share is above 0 and none falls below
 * it, the one with the lowest hash (ties by id), so at least one. Both configs are repeated on the
 * same ones. Membership depends only on the id and the seed: a shard of the dataset repeats the
 * whole set's members it holds (and, when it holds none below the share, its own lowest).
 */
export function selectNoiseSample(conversationIds: string[], share: number, seed: number): Set<string> {
  if (share <= 0 || conversationIds.length === 0) return new Set();
  const hashes = conversationIds.map((id) => ({ id, hash: seededUnit(seed, "judge-noise", id) }));
  const below = hashes.filter((h) => h.hash < share).map((h) => h.id);
  if (below.length > 0) return new Set(below);
  const lowest = hashes.reduce((a, b) => (b.hash < a.hash || (b.hash === a.hash && b.id < a.id) ? b : a));
  return new Set([lowest.id]);
}
