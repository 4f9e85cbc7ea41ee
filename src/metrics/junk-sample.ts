import type { DryRunResult } from "../schema/dry-run.js";
import type { ConfigRole } from "../schema/run-log.js";
import { seededRankOrder } from "./random.js";

/** Candidate indexes to judge for junk, per conversation and config. */
export type JunkSample = Map<string, Record<ConfigRole, number[]>>;

function indexes(result: DryRunResult | number | undefined): number[] {
  const count = typeof result === "number" ? result : (result?.candidates.length ?? 0);
  return Array.from({ length: count }, (_, index) => index);
}

/**
 * The paired junk sample: both configs are judged on the same conversations, so the junk delta
 * compares like with like. Conversations where both configs produced a result are ranked by a seeded
 * hash of their id and drawn in rank order until each config has at least `size` candidates; every
 * candidate of a drawn conversation is judged on both sides. With a free judge (`judgeEverything`)
 * every paired conversation is drawn. Same inputs and seed, same sample.
 *
 * The rank of a conversation depends only on its id and the seed, so any subset of the conversations
 * (a shard) drawn the same way judges a superset of the whole set's sample members it holds.
 */
export function selectJunkSample(
  pairedIds: string[],
  /** Each conversation's dry run, or its number of candidates. */
  dryRuns: Record<ConfigRole, Map<string, DryRunResult | number>>,
  size: number,
  seed: number,
  judgeEverything: boolean,
): JunkSample {
  const order = judgeEverything ? pairedIds : seededRankOrder(pairedIds, seed, "junk");
  const sample: JunkSample = new Map();
  let baseline = 0;
  let candidate = 0;
  for (const id of order) {
    if (!judgeEverything && baseline >= size && candidate >= size) break;
    const entry = { baseline: indexes(dryRuns.baseline.get(id)), candidate: indexes(dryRuns.candidate.get(id)) };
    baseline += entry.baseline.length;
    candidate += entry.candidate.length;
    sample.set(id, entry);
  }
  return sample;
}
