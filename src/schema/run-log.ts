import { z } from "zod";
import { BenchConfigSchema } from "./bench-config.js";
import { HumanLabelSchema } from "./curation.js";
import { DryRunResultSchema } from "./dry-run.js";
import { ExtractorConfigSchema } from "./extractor-config.js";
import { ModelUsageSchema } from "./model-usage.js";
import { RunPhaseSchema } from "./run-phase.js";
import { RetrievalRecordSchema } from "./retrieval-record.js";
import { CoverageVerdictSchema, JunkVerdictSchema, PairwiseVerdictSchema, UsefulnessVerdictSchema } from "./verdict.js";
import { CONFIG_ROLES, FORMAT_VERSION } from "./constants.js";

export { CONFIG_ROLES, FORMAT_VERSION };
/**
 * Versions of report.json the bench still reads. A run log of format 2 is read too: it is upgraded to
 * the current shape where it is read (see run-log-format-2.ts).
 */
export const FormatVersionSchema = z.union([z.literal(2), z.literal(FORMAT_VERSION)]);

export const ConfigRoleSchema = z.enum(CONFIG_ROLES);

export const JudgeInfoSchema = z
  .object({ id: z.string(), kind: z.enum(["heuristic", "llm"]), description: z.string() })
  .strict();

/** What decides a conversation's shard: its scope's namespace (each shard holds whole scopes) or its own id. */
export const SHARD_RULES = ["scope", "conversation"] as const;
export const ShardRuleSchema = z.enum(SHARD_RULES);

/**
 * One of `count` deterministic parts of the dataset (1-based), run on its own and merged later. `by`:
 * the rule that split it; absent in older logs, which split by conversation.
 */
export const ShardSchema = z
  .object({ index: z.number().int().min(1), count: z.number().int().min(1), by: ShardRuleSchema.optional() })
  .strict()
  .refine((shard) => shard.index <= shard.count, { message: "expected index between 1 and count", path: ["index"] });

export const RunStartSchema = z
  .object({
    kind: z.literal("run_start"),
    format_version: z.literal(FORMAT_VERSION),
    run_id: z.string(),
    started_at: z.string(),
    tool_version: z.string(),
    /** The bench settings in force, with defaults filled in. */
    bench: BenchConfigSchema,
    configs: z
      .object({
        baseline: z.object({ path: z.string(), config: ExtractorConfigSchema }).strict(),
        candidate: z.object({ path: z.string(), config: ExtractorConfigSchema }).strict(),
      })
      .strict(),
    /**
     * The dataset and golden set are referenced (path, content hash in `inputs`, sizes), not copied:
     * each conversation's unit records carry what the report needs.
     */
    dataset: z
      .object({ path: z.string(), conversations: z.number().int().min(0), turns: z.number().int().min(0) })
      .strict(),
    golden: z.object({ path: z.string(), memories: z.number().int().min(0) }).strict(),
    /** Human labels the report compares the judge with, when given. */
    labels: z
      .object({ path: z.string(), items: z.array(HumanLabelSchema) })
      .strict()
      .optional(),
    judge: JudgeInfoSchema,
    /** Content hashes of the inputs (configs, dataset, golden set, labels): a resume refuses changed inputs. */
    inputs: z.record(z.string(), z.string()).optional(),
    /**
     * Set when the run took one shard of the dataset (`run --shard i/n`): `dataset` and `golden` then
     * count the shard's part, and `merge` combines the shards.
     */
    shard: ShardSchema.optional(),
  })
  .strict();

export const DryRunRecordSchema = z
  .object({
    kind: z.literal("dry_run"),
    role: ConfigRoleSchema,
    conversation_id: z.string(),
    /** The conversation's position in the dataset (0-based): reports list conversations in dataset order. */
    position: z.number().int().min(0).optional(),
    /** Golden memories of the conversation. */
    golden: z.number().int().min(0).optional(),
    result: DryRunResultSchema,
  })
  .strict();

const fieldModes = z
  .object({ strict: z.number().int().min(0), exact: z.number().int().min(0), partial: z.number().int().min(0) })
  .strict();

/** Field-level agreement of one unit's candidates with its golden memories after the optimal alignment: counts that add up across units. */
export const FieldCountsSchema = z
  .object({
    aligned: z.number().int().min(0),
    golden: z.number().int().min(0),
    /** Golden memories that state each field. */
    stated: z
      .object({
        subject: z.number().int().min(0),
        predicate: z.number().int().min(0),
        object: z.number().int().min(0),
        type: z.number().int().min(0),
      })
      .strict(),
    /** Aligned pairs whose field agrees, per match mode. */
    matched: z.object({ subject: fieldModes, predicate: fieldModes, object: fieldModes, type: fieldModes }).strict(),
  })
  .strict();

export const EvidenceTurnSchema = z.object({ id: z.string(), speaker: z.string(), text: z.string() }).strict();

const judgementBase = {
  kind: z.literal("judgement"),
  role: ConfigRoleSchema,
  conversation_id: z.string(),
  judge: z.string(),
  /** The judge failed for this unit after its retry; recorded, never counted as a pass. */
  error: z.string().optional(),
  /** 1 for the judge-noise repeat of a unit (cache bypassed); absent for the judgement that counts. */
  repeat: z.number().int().min(1).optional(),
};

export const JudgementRecordSchema = z.discriminatedUnion("task", [
  z
    .object({
      ...judgementBase,
      task: z.literal("coverage"),
      items: z.array(CoverageVerdictSchema),
      /** Evidence turns of the golden memories left uncovered, so reports can show them. */
      missed_evidence: z.record(z.string(), z.array(EvidenceTurnSchema)).default({}),
      /** Text of the golden memories left uncovered. */
      missed_text: z.record(z.string(), z.string()).optional(),
      /** Field-level agreement of the unit's candidates with its golden memories. */
      fields: FieldCountsSchema.optional(),
    })
    .strict(),
  z.object({ ...judgementBase, task: z.literal("usefulness"), items: z.array(UsefulnessVerdictSchema) }).strict(),
  z
    .object({
      ...judgementBase,
      task: z.literal("junk"),
      items: z.array(JunkVerdictSchema),
      /** Text of the candidates judged junk, by candidate index, so reports can quote them. */
      texts: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
]);

/** One conversation's candidate sets compared by the judge in both orders. */
export const PairwiseRecordSchema = z
  .object({
    kind: z.literal("pairwise"),
    conversation_id: z.string(),
    judge: z.string(),
    verdict: PairwiseVerdictSchema.optional(),
    /** The judge failed for this conversation; recorded, counted as neither better nor worse. */
    error: z.string().optional(),
  })
  .strict();

/** Model calls of the run, per scope; written before run_end, and when a run stops early. */
export const ModelUsageRecordSchema = z
  .object({
    kind: z.literal("model_usage"),
    accounts: z.array(ModelUsageSchema),
    max_cost_usd: z.number().nullable(),
    /** Why the run stopped early (cost limit, replay-only miss), if it did. */
    stopped: z.string().optional(),
  })
  .strict();

/**
 * A batch of model calls submitted to a provider's batch API, logged before the run waits for it: a
 * resumed run polls this batch for these calls instead of paying for them again. `key` is the
 * response-cache key of a call (a hash), never its prompt.
 */
export const BatchRecordSchema = z
  .object({
    kind: z.literal("batch"),
    provider: z.string(),
    model: z.string(),
    batch_id: z.string().min(1),
    submitted_at: z.string(),
    requests: z
      .array(z.object({ custom_id: z.string().min(1), key: z.string().regex(/^[0-9a-f]{64}$/) }).strict())
      .min(1),
  })
  .strict();

export const RunEndSchema = z
  .object({
    kind: z.literal("run_end"),
    finished_at: z.string(),
    duration_ms: z.number().min(0),
    /** Wall time of each phase this part of the run went through. */
    phases: z.array(RunPhaseSchema).optional(),
    /**
     * How this part of the run ended: every unit done (success), stopped by a signal or `stop`
     * (cancelled), or ended by an error (error). Absent in older logs, which wrote run_end on success only.
     */
    status: z.enum(["success", "cancelled", "error"]).optional(),
  })
  .strict();

export { endsFinishedRun } from "./run-end.js";

export const RunLogRecordSchema = z.discriminatedUnion("kind", [
  RunStartSchema,
  DryRunRecordSchema,
  JudgementRecordSchema,
  PairwiseRecordSchema,
  ModelUsageRecordSchema,
  BatchRecordSchema,
  RetrievalRecordSchema,
  RunEndSchema,
]);

export type ConfigRole = z.infer<typeof ConfigRoleSchema>;
export type JudgeInfo = z.infer<typeof JudgeInfoSchema>;
export type Shard = z.infer<typeof ShardSchema>;
export type ShardRule = z.infer<typeof ShardRuleSchema>;
export type RunStart = z.infer<typeof RunStartSchema>;
export type DryRunRecord = z.infer<typeof DryRunRecordSchema>;
export type FieldCounts = z.infer<typeof FieldCountsSchema>;
export type EvidenceTurn = z.infer<typeof EvidenceTurnSchema>;
export type JudgementRecord = z.infer<typeof JudgementRecordSchema>;
export type RunEnd = z.infer<typeof RunEndSchema>;
export type PairwiseRecord = z.infer<typeof PairwiseRecordSchema>;
export type ModelUsageRecord = z.infer<typeof ModelUsageRecordSchema>;
export type BatchRecord = z.infer<typeof BatchRecordSchema>;
export type RunLogRecord = z.infer<typeof RunLogRecordSchema>;
