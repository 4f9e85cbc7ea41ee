import type { DryRunResult } from "../schema/dry-run.js";
import { createRng, deriveSeed, sampleIndexes } from "./random.js";

/**
 * The seeded junk sample of one config: `size` candidates drawn without replacement from all of its
 * candidates (conversations in dataset order), grouped by conversation. Same inputs, same sample.
 */
export function selectJunkSample(
  conversationIds: string[],
  dryRuns: Map<string, DryRunResult>,
  size: number,
  seed: number,
  label: string,
): Map<string, number[]> {
  const population: Array<[string, number]> = [];
  for (const id of conversationIds) {
    const result = dryRuns.get(id);
    result?.candidates.forEach((_, index) => population.push([id, index]));
  }
  const sample = new Map<string, number[]>();
  for (const i of sampleIndexes(population.length, size, createRng(deriveSeed(seed, `junk:${label}`)))) {
    const [id, index] = population[i]!;
    sample.set(id, [...(sample.get(id) ?? []), index]);
  }
  return sample;
}
