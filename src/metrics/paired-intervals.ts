import type { ConfigRole } from "../schema/run-log.js";
import {
  pairedBootstrap,
  pooledChange,
  relativeChange,
  type PairedCounts,
  type PairedInterval,
  type SideCounts,
} from "./bootstrap.js";
import { COL, JUNK, junkOffset, sideOffset } from "./conversation-table.js";
import { correctable, measuredFlipRate, noiseSpread, type RepeatCounts } from "./judge-noise.js";
import { round } from "./numbers.js";
import type { RunData } from "./run-data.js";

/** An interval rounded for reporting; null stays null. */
export function roundInterval(interval: [number, number] | null): [number, number] | null {
  return interval ? [round(interval[0])!, round(interval[1])!] : null;
}

export type PairedMetric = "precision" | "recall" | "junk" | "extraction" | "entity_resolution";

/**
 * Per-conversation counts for the bootstrap, over the paired conversations in dataset order, counted
 * exactly as the point estimates count them: judge errors left out, junk over the conversations of
 * the junk sample. With a judge that calls a model (`modelJudged`), the verdicts it gave are marked
 * as the ones its noise can flip: every usefulness and junk verdict, the coverage verdicts not
 * settled by the cheap match.
 */
function pairedRows(run: RunData, paired: number[], metric: PairedMetric, modelJudged: boolean): PairedCounts[] {
  const { table } = run;
  const side = (slot: number, role: ConfigRole): SideCounts => {
    const at = sideOffset(role);
    const get = (column: number) => table.get(slot, column + at);
    if (metric === "precision") {
      const counts = { numerator: get(COL.useful), denominator: get(COL.judged) };
      return modelJudged ? { ...counts, noisy: { positive: counts.numerator, judged: counts.denominator } } : counts;
    }
    if (metric === "recall") {
      const counts = { numerator: get(COL.covered), denominator: get(COL.coverageJudged) };
      return modelJudged
        ? { ...counts, noisy: { positive: get(COL.modelCovered), judged: get(COL.modelCoverageJudged) } }
        : counts;
    }
    if (metric === "extraction") return { numerator: get(COL.candidates), denominator: table.get(slot, COL.turns) };
    if (metric === "entity_resolution") return { numerator: get(COL.fallback), denominator: get(COL.mentions) };
    const judged = table.junkState(slot, role) === JUNK.judged;
    const j = junkOffset(role);
    if (!judged) return { numerator: 0, denominator: 0 };
    const counts = { numerator: table.get(slot, COL.junk + j), denominator: table.get(slot, COL.junkJudged + j) };
    return modelJudged ? { ...counts, noisy: { positive: counts.numerator, judged: counts.denominator } } : counts;
  };
  const rows = paired.map((slot) => ({ baseline: side(slot, "baseline"), candidate: side(slot, "candidate") }));
  // Junk is measured on the sampled conversations only: the others carry no junk judgement.
  return metric === "junk" ? rows.filter((r) => r.baseline.denominator + r.candidate.denominator > 0) : rows;
}

/** The repeat agreement of the judge's verdicts that feed a metric, when the repeats compared any. */
function flipsFor(run: RunData, metric: PairedMetric): RepeatCounts | undefined {
  const task =
    metric === "precision" ? "usefulness" : metric === "recall" ? "coverage" : metric === "junk" ? "junk" : undefined;
  const counts = task ? run.noise?.[task] : undefined;
  return counts && counts.compared > 0 ? counts : undefined;
}

/** A level and a change corrected for the judge's flip rate, from the pooled rows; null where the flip rate leaves nothing to correct. */
function correctedPoint(
  rows: PairedCounts[],
  flipRate: number,
): { baseline: number | null; candidate: number | null; delta: number | null; spread: number | null } {
  if (!correctable(flipRate)) return { baseline: null, candidate: null, delta: null, spread: null };
  const pooled = pooledChange(rows, flipRate);
  const { baseline: a, candidate: b } = pooled.sides;
  return {
    baseline: pooled.baseline,
    candidate: pooled.candidate,
    delta: pooled.delta,
    spread: noiseSpread(
      flipRate,
      { baseline: a.judged, candidate: b.judged },
      { baseline: a.denominator, candidate: b.denominator },
    ),
  };
}

type JudgedMetric = "precision" | "recall" | "junk";

/** The paired metrics' intervals, and their levels and changes corrected for the judge's noise where its repeats measured it. */
export interface PairedEstimates {
  intervals: Record<PairedMetric, PairedInterval>;
  /** `{corrected}` to spread into a level, or nothing when the metric was not corrected. */
  correctedLevel(
    metric: JudgedMetric,
    role: ConfigRole,
  ): { corrected?: { value: number | null; ci: [number, number] | null } };
  /** `{corrected}` to spread into a change, or nothing when the metric was not corrected. */
  correctedChange(metric: JudgedMetric): {
    corrected?: { value: number | null; ci: [number, number] | null; se: number | null; noise_spread: number | null };
  };
}

/** Paired-bootstrap intervals over the paired conversations (`paired`, in dataset order) for every paired metric. Pure. */
export function pairedEstimates(run: RunData, paired: number[]): PairedEstimates {
  const { bench } = run.start;
  const pairedRowsList = paired;
  const modelJudged = run.start.judge.kind === "llm";
  const rowsOf = (metric: PairedMetric) => pairedRows(run, pairedRowsList, metric, modelJudged);
  const bootstrap = (metric: PairedMetric) =>
    pairedBootstrap(
      rowsOf(metric),
      bench.bootstrap_resamples,
      bench.seed,
      metric,
      metric === "extraction" ? relativeChange : undefined,
      flipsFor(run, metric),
    );
  const intervals = {
    precision: bootstrap("precision"),
    recall: bootstrap("recall"),
    junk: bootstrap("junk"),
    extraction: bootstrap("extraction"),
    entity_resolution: bootstrap("entity_resolution"),
  };
  /** Levels and changes corrected for the judge's flip rate, for the metrics its repeats measured. */
  const corrections = Object.fromEntries(
    (["precision", "recall", "junk"] as const).flatMap((metric) => {
      const flips = flipsFor(run, metric);
      return flips
        ? [
            [
              metric,
              {
                flipRate: measuredFlipRate(flips)!,
                point: correctedPoint(rowsOf(metric), measuredFlipRate(flips)!),
                interval: intervals[metric].corrected!,
              },
            ],
          ]
        : [];
    }),
  ) as Partial<
    Record<
      "precision" | "recall" | "junk",
      { flipRate: number; point: ReturnType<typeof correctedPoint>; interval: PairedInterval }
    >
  >;
  const correctedLevel = (metric: "precision" | "recall" | "junk", role: ConfigRole) => {
    const c = corrections[metric];
    return c
      ? {
          corrected: {
            value: round(c.point[role]),
            ci: c.point[role] === null ? null : roundInterval(c.interval[role]),
          },
        }
      : {};
  };
  const correctedChange = (metric: "precision" | "recall" | "junk") => {
    const c = corrections[metric];
    if (!c) return {};
    const measured = c.point.delta !== null;
    return {
      corrected: {
        value: round(c.point.delta),
        ci: measured ? roundInterval(c.interval.delta) : null,
        se: measured ? round(c.interval.se) : null,
        noise_spread: round(c.point.spread),
      },
    };
  };

  return { intervals, correctedLevel, correctedChange };
}
