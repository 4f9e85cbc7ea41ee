import { z } from "zod";

/**
 * A rate threshold: a fraction in [0, 1]. A value above 1 is almost always a percentage typed as a
 * number (5 for 5%), so the message shows the fraction meant.
 */
function fraction(defaultValue: number, description: string) {
  return z
    .number()
    .min(0, { error: "expected a fraction in [0, 1]" })
    .max(1, { error: (issue) => `expected a fraction in [0, 1] (write ${Number(issue.input) / 100} for ${String(issue.input)} percentage points)` })
    .default(defaultValue)
    .describe(`${description} A fraction in [0, 1]. Default ${defaultValue}.`);
}

/** Every rate threshold is a fraction; the gate prints differences of rates in percentage points. */
export const ThresholdsSchema = z
  .object({
    max_precision_drop: fraction(0.05, "Fail when candidate precision is lower than baseline's by more than this (0.05 = 5 percentage points)."),
    max_recall_drop: fraction(0, "Fail when recall falls by more than this and the 95% interval of the drop excludes 0."),
    max_junk_increase: fraction(0.05, "Fail when the junk rate rises by more than this with 95% confidence: the lower bound of the paired interval of the rise is above it."),
    max_json_fail_rate: fraction(0.02, "Fail when the candidate's JSON fail rate (failed extract calls / attempted calls) is above this."),
    max_extraction_count_change: z
      .number()
      .min(0)
      .max(100)
      .default(0.4)
      .describe("Fail when extractions per turn change by more than this relative fraction either way (0.4 = ±40%). Default 0.4."),
    max_entity_resolution_fail_increase: fraction(0.01, "Fail when the candidate's entity-resolution fail rate exceeds the baseline's by more than this."),
    max_failed_unit_rate: fraction(0.02, "Fail when either config's share of failed dry runs is above this."),
    on_unmeasured: z
      .enum(["fail", "pass"])
      .default("fail")
      .describe("A check that could not be measured fails the gate (`fail`, default) or is let through (`pass`); it is reported as not measured either way."),
  })
  .strict();

export const HeuristicJudgeSchema = z
  .object({
    provider: z.literal("heuristic"),
    coverage_threshold: z.number().min(0).max(1).default(0.6).describe("A golden memory is covered by a candidate carrying at least this share of its content words. Default 0.6."),
    evidence_coverage_threshold: z.number().min(0).max(1).default(0.5).describe("The lower bar for a candidate whose evidence turns overlap the golden memory's. Default 0.5."),
  })
  .strict();

export const JudgeConfigSchema = z.union([z.literal("heuristic"), HeuristicJudgeSchema]);

const DEFAULT_BUCKETS = [0, 0.3, 0.5, 0.7, 0.85, 1.0];

export const ConfidenceBucketsSchema = z
  .array(z.number().min(0).max(1))
  .min(2)
  .max(101)
  .refine((edges) => edges.every((edge, i) => i === 0 || edge > edges[i - 1]!), {
    message: "bucket edges must be strictly increasing",
  })
  .refine((edges) => edges[0] === 0 && edges[edges.length - 1] === 1, {
    message: "bucket edges must start at 0 and end at 1",
  });

export const BenchConfigSchema = z
  .object({
    baseline: z.string().min(1).describe("Extractor config files, relative to this file."),
    candidate: z.string().min(1),
    dataset: z.string().min(1).describe("Conversation set: a .jsonl/.json file or a folder of them, relative to this file."),
    golden: z.string().min(1).describe("Golden memories: a .jsonl/.json file or a folder of them, relative to this file."),
    labels: z.string().min(1).optional().describe("Human labels (the labels file `golden review` writes), relative to this file. When set, the report gives judge-vs-human agreement. Default: none."),
    judge: JudgeConfigSchema.default("heuristic").describe("Default: the heuristic judge."),
    junk_sample_size: z.number().int().min(1).max(1_000_000).default(100).describe("Junk rate: conversations are drawn (seeded) until each config has at least this many candidates, and both configs are judged on the same conversations. A free judge (heuristic) judges every candidate. Default 100."),
    top_k_predicates: z.number().int().min(1).max(10_000).default(50).describe("Predicates per config compared by the vocabulary Jaccard. Default 50."),
    confidence_buckets: ConfidenceBucketsSchema.default(DEFAULT_BUCKETS).describe("Confidence histogram edges. Default [0, 0.3, 0.5, 0.7, 0.85, 1.0]."),
    min_paired_conversations: z.number().int().min(1).max(1_000_000).default(10).describe("Fewer conversations where both configs produced a result than this, and the verdict is insufficient data. Default 10."),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(42).describe("Seed for every sampled quantity (junk sample, bootstrap). Default 42."),
    bootstrap_resamples: z.number().int().min(100).max(100_000).default(1000).describe("Bootstrap resamples for confidence intervals, 100 to 100,000. Default 1000."),
    concurrency: z.number().int().min(1).max(256).default(4).describe("Dry runs in flight at once. Default 4."),
    thresholds: ThresholdsSchema.default(ThresholdsSchema.parse({})),
    output: z
      .object({
        dir: z.string().min(1).default("reports").describe("Folder that receives one `<run-id>/` folder per run, relative to this file. Default `reports`."),
      })
      .strict()
      .default({ dir: "reports" }),
  })
  .strict();

export type Thresholds = z.infer<typeof ThresholdsSchema>;
export type HeuristicJudgeConfig = z.infer<typeof HeuristicJudgeSchema>;
export type BenchConfig = z.infer<typeof BenchConfigSchema>;
