import { z } from "zod";

export const ThresholdsSchema = z
  .object({
    max_precision_drop: z.number().min(0).max(1).default(0.05).describe("Fail when candidate precision is lower than baseline's by more than this (absolute). Default 0.05."),
    max_recall_drop: z.number().min(0).max(1).default(0).describe("Fail when recall falls by more than this and the 95% CI of the drop excludes 0. Default 0."),
    max_junk_increase_pp: z.number().min(0).max(100).default(5).describe("Fail when the junk rate rises by more than this many percentage points. Default 5."),
    max_json_fail_rate: z.number().min(0).max(1).default(0.02).describe("Fail when the candidate's JSON fail rate is above this. Default 0.02."),
    max_extraction_count_change: z.number().min(0).default(0.4).describe("Fail when extractions per turn change by more than this fraction either way. Default 0.4."),
    max_entity_resolution_fail_rate: z.number().min(0).max(1).default(0.01).describe("Fail when the candidate's entity-resolution fail rate (fallback share) is above this. Default 0.01."),
  })
  .strict();

export const HeuristicJudgeSchema = z
  .object({
    provider: z.literal("heuristic"),
    coverage_threshold: z.number().min(0).max(1).default(0.5).describe("A golden memory is covered by a candidate whose token similarity reaches this. Default 0.5."),
    evidence_coverage_threshold: z.number().min(0).max(1).default(0.35).describe("The lower bar for a candidate whose evidence turns overlap the golden memory's. Default 0.35."),
  })
  .strict();

export const JudgeConfigSchema = z.union([z.literal("heuristic"), HeuristicJudgeSchema]);

const DEFAULT_BUCKETS = [0, 0.3, 0.5, 0.7, 0.85, 1.0];

export const ConfidenceBucketsSchema = z
  .array(z.number().min(0).max(1))
  .min(2)
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
    junk_sample_size: z.number().int().min(1).default(100).describe("Candidates per config sampled for the junk rate. Default 100."),
    top_k_predicates: z.number().int().min(1).default(50).describe("Predicates per config compared by the vocabulary Jaccard. Default 50."),
    confidence_buckets: ConfidenceBucketsSchema.default(DEFAULT_BUCKETS).describe("Confidence histogram edges. Default [0, 0.3, 0.5, 0.7, 0.85, 1.0]."),
    seed: z.number().int().default(42).describe("Seed for every sampled quantity (junk sample, bootstrap). Default 42."),
    bootstrap_resamples: z.number().int().min(100).default(1000).describe("Bootstrap resamples for confidence intervals. Default 1000."),
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
