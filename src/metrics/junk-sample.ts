import type { BenchConfig } from "../schema/bench-config.js";
import type { DryRunResult } from "../schema/dry-run.js";
import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import { difference, pairedBootstrap, pooledChange, type PairedCounts } from "./bootstrap.js";
import { COL, JUNK, junkOffset, type ConversationTable } from "./conversation-table.js";
import { correctable, measuredFlipRate, type RepeatCounts } from "./judge-noise.js";
import { seededRankOrder } from "./random.js";
import type { RunSoFar } from "./run-data.js";
import { conversationsToDecide, intervalAgainstLimit } from "./sample-size.js";

/** Candidate indexes to judge for junk, per conversation and config. */
export type JunkSample = Map<string, Record<ConfigRole, number[]>>;

function indexes(result: DryRunResult | number | undefined): number[] {
  const count = typeof result === "number" ? result : (result?.candidates.length ?? 0);
  return Array.from({ length: count }, (_, index) => index);
}

/** A junk sample's conversations in the order they are drawn: a seeded hash of their id (see selectJunkSample). */
export function junkSampleOrder(pairedIds: string[], seed: number): string[] {
  return seededRankOrder(pairedIds, seed, "junk");
}

/** The first conversations of `order` (junkSampleOrder) that give each config at least `size` candidates, with all their candidates. */
export function drawJunkSample(
  order: readonly string[],
  dryRuns: Record<ConfigRole, Map<string, DryRunResult | number>>,
  size: number,
): JunkSample {
  const sample: JunkSample = new Map();
  let baseline = 0;
  let candidate = 0;
  for (const id of order) {
    if (baseline >= size && candidate >= size) break;
    const entry = { baseline: indexes(dryRuns.baseline.get(id)), candidate: indexes(dryRuns.candidate.get(id)) };
    baseline += entry.baseline.length;
    candidate += entry.candidate.length;
    sample.set(id, entry);
  }
  return sample;
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
  return judgeEverything
    ? drawJunkSample(pairedIds, dryRuns, Number.POSITIVE_INFINITY)
    : drawJunkSample(junkSampleOrder(pairedIds, seed), dryRuns, size);
}

/** The sample grows by at least this factor per round, so a run needs few rounds. */
export const JUNK_GROWTH_FACTOR = 1.5;
/** Share of the remaining budget (`max_cost_usd`) a round of growth may plan to spend. */
export const JUNK_BUDGET_SHARE = 0.9;
/** A bootstrap over fewer conversations gives intervals too narrow to decide on: the sample grows to span this many first. */
export const MIN_JUNK_CONVERSATIONS = 30;

/** Junk counts of every conversation judged for junk on both sides, the model's verdicts marked as the ones its noise can flip. */
export function junkSampleRows(table: ConversationTable, modelJudged: boolean): PairedCounts[] {
  const rows: PairedCounts[] = [];
  for (let slot = 0; slot < table.size; slot++) {
    if (CONFIG_ROLES.some((role) => table.junkState(slot, role) !== JUNK.judged)) continue;
    const side = (role: ConfigRole) => {
      const counts = {
        numerator: table.get(slot, COL.junk + junkOffset(role)),
        denominator: table.get(slot, COL.junkJudged + junkOffset(role)),
      };
      return modelJudged ? { ...counts, noisy: { positive: counts.numerator, judged: counts.denominator } } : counts;
    };
    rows.push({ baseline: side("baseline"), candidate: side("candidate") });
  }
  return rows;
}

export interface JunkGrowthInput {
  /** Junk counts per conversation judged so far (junkSampleRows). */
  rows: PairedCounts[];
  /** The junk verdicts' repeat agreement, when the repeats compared any. */
  flips?: RepeatCounts | undefined;
  /** `max_junk_increase`. */
  limit: number;
  /** Candidates per config the sample was drawn to, and the most it may grow to (`junk_sample_max`). */
  size: number;
  maxSize: number;
  /** Every paired conversation is in the sample already. */
  exhausted: boolean;
  seed: number;
  resamples: number;
  /** With `max_cost_usd`: what is left of it, and what judging one candidate for junk has cost so far. */
  budget?: { remainingUsd: number; usdPerCandidate: number } | undefined;
}

/**
 * The junk sample's growth with a paid judge, a stated rule: while the junk check is inconclusive (the
 * 95% interval of the rise, corrected for the judge's noise when it was measured, straddles
 * `max_junk_increase`), the sample grows, in the same seeded order, to the size the observed spread
 * says would decide it, at least JUNK_GROWTH_FACTOR times the last size, at most `maxSize` candidates
 * per config and, with a cost limit, what JUNK_BUDGET_SHARE of the remaining budget pays for at the
 * junk cost measured so far. A sample that spans fewer than MIN_JUNK_CONVERSATIONS conversations
 * decides nothing yet: it grows to span them. It stops when the check is decided, when every paired
 * conversation is drawn, or when the estimate sits on the limit (no size decides it). Returns the next
 * size, or undefined to stop.
 */
export function nextJunkSampleSize(input: JunkGrowthInput): number | undefined {
  const { rows, flips, limit, size, maxSize } = input;
  if (input.exhausted || size >= maxSize || rows.length === 0) return undefined;
  const flipRate = measuredFlipRate(flips) ?? 0;
  if (!correctable(flipRate)) return undefined;
  const judged = Math.max(...CONFIG_ROLES.map((role) => rows.reduce((sum, row) => sum + row[role].denominator, 0)));
  let needed: number | null;
  if (rows.length < MIN_JUNK_CONVERSATIONS) needed = MIN_JUNK_CONVERSATIONS;
  else {
    const boot = pairedBootstrap(rows, input.resamples, input.seed, "junk", difference, flips);
    const interval = flips ? boot.corrected! : boot;
    const point = pooledChange(rows, flipRate).delta;
    if (interval.delta === null || interval.se === null || point === null) return undefined;
    if (intervalAgainstLimit(interval.delta, limit) !== "straddles") return undefined;
    needed = conversationsToDecide(point, limit, interval.se, rows.length);
  }
  if (needed === null) return undefined;
  let next = Math.min(
    maxSize,
    Math.max(Math.ceil(size * JUNK_GROWTH_FACTOR), Math.ceil((judged * needed) / rows.length)),
  );
  if (input.budget && input.budget.usdPerCandidate > 0) {
    const affordable = Math.floor(
      (JUNK_BUDGET_SHARE * Math.max(0, input.budget.remainingUsd)) /
        (CONFIG_ROLES.length * input.budget.usdPerCandidate),
    );
    next = Math.min(next, judged + affordable);
  }
  return next > size ? next : undefined;
}

/**
 * The next size of a paid judge's junk sample from what the run has folded so far (see
 * nextJunkSampleSize): the junk verdicts and their repeats in `fold`, the bench's limit, maximum and
 * seed. `spend`: with a cost limit, what is left of it and what the junk judging has cost per candidate.
 */
export function nextJunkSampleSizeOf(
  fold: RunSoFar,
  bench: BenchConfig,
  current: { size: number; exhausted: boolean },
  spend?: { remainingUsd: number; usdPerCandidate: number },
): number | undefined {
  const modelJudged = fold.start?.judge.kind === "llm";
  const junk = fold.repeatAgreement()?.junk;
  return nextJunkSampleSize({
    rows: junkSampleRows(fold.table, modelJudged),
    flips: junk && junk.compared > 0 ? junk : undefined,
    limit: bench.thresholds.max_junk_increase,
    size: current.size,
    maxSize: bench.junk_sample_max,
    exhausted: current.exhausted,
    seed: bench.seed,
    resamples: bench.bootstrap_resamples,
    budget: spend,
  });
}

/**
 * The size a paid judge's junk sample reaches before any verdict can change it. While the sample drawn
 * at a size spans fewer than MIN_JUNK_CONVERSATIONS conversations, nextJunkSampleSize grows it to
 * span them whatever its verdicts say (only which candidates were judged counts, and every drawn one
 * is). A run draws those steps as one first round: the sample the rounds would have reached once
 * every verdict came back, a model round trip sooner for each step (the one verdict that could have
 * stopped them: repeats showing a flip rate of MAX_FLIP_RATE or more). Not for a shard, which keeps its
 * first round, nor under a cost limit, whose growth is priced at the junk cost measured on the round
 * before. `order`: junkSampleOrder of the paired conversations.
 */
export function firstJunkRoundSize(
  order: readonly string[],
  dryRuns: Record<ConfigRole, Map<string, DryRunResult | number>>,
  bench: Pick<BenchConfig, "junk_sample_size" | "junk_sample_max" | "seed" | "bootstrap_resamples" | "thresholds">,
): number {
  let size = bench.junk_sample_size;
  for (;;) {
    const sample = drawJunkSample(order, dryRuns, size);
    if (sample.size >= MIN_JUNK_CONVERSATIONS) return size;
    const rows = [...sample.values()].map((drawn) => ({
      baseline: { numerator: 0, denominator: drawn.baseline.length },
      candidate: { numerator: 0, denominator: drawn.candidate.length },
    }));
    const next = nextJunkSampleSize({
      rows,
      limit: bench.thresholds.max_junk_increase,
      size,
      maxSize: bench.junk_sample_max,
      exhausted: sample.size === order.length,
      seed: bench.seed,
      resamples: bench.bootstrap_resamples,
    });
    if (next === undefined) return size;
    size = next;
  }
}
