import { z } from "zod";
import { CandidateSchema } from "./candidate.js";

const count = z.number().int().min(0);

export const StageCountsSchema = z
  .object({
    turns: count,
    /** Turns dropped by the pre-filter. */
    prefiltered_turns: count,
    extract_calls: count,
    /** Candidates the extract stage returned, before dedupe. */
    extracted: count,
    /** Extract calls whose answer was not valid JSON after one retry. */
    json_failures: count,
    resolved_by_stage: z.object({ exact: count, alias: count, fuzzy: count, fallback: count }).strict(),
    /** Candidates collapsed into one already kept. */
    deduped: count,
    /**
     * Extract calls whose answer could not be used after its retry, by why: `invalid_json`,
     * `truncated` (cut off at max_tokens), `refused`, `empty`. Absent when none failed.
     */
    answer_failures: z.record(z.string(), count).optional(),
    /** What reading the answers repaired and kept, by reason (an unknown key left out, `turn t4` read as `t4`). Absent when nothing was. */
    repairs: z.record(z.string(), count).optional(),
    /** Memories and evidence ids the answers held that could not be read, by reason. Absent when none was dropped. */
    dropped: z.record(z.string(), count).optional(),
  })
  .strict();

export const UsageSchema = z
  .object({
    /** Input tokens billed at the full input price (cache reads and writes are counted apart). */
    input_tokens: count,
    /** Output tokens, reasoning and thinking tokens included (they share the answer budget). */
    output_tokens: count,
    /** Of the output tokens, those the model spent reasoning or thinking. Absent when none were reported. */
    reasoning_tokens: count.optional(),
    /** Input tokens read from the provider's prompt cache. Absent when none were reported. */
    cache_read_tokens: count.optional(),
    /** Input tokens written to the provider's prompt cache. Absent when none were reported. */
    cache_write_tokens: count.optional(),
  })
  .strict();

export const SampleErrorKindSchema = z.enum([
  /** An extract call answered invalid JSON (or outside its contract), after its retry. */
  "invalid_json",
  /** An answer was cut off at max_tokens, after a retry with double the budget. */
  "truncated",
  /** The model refused to answer. */
  "refused",
  /** The model gave an empty answer, twice. */
  "empty",
  "command_failed",
  "timeout",
  "invalid_output",
  "missing_replay",
  "extractor_error",
  "provider_error",
  "rate_limited",
  "http_error",
]);

export const SampleErrorSchema = z.object({ kind: SampleErrorKindSchema, message: z.string() }).strict();

export const DryRunResultSchema = z
  .object({
    conversation_id: z.string(),
    candidates: z.array(CandidateSchema),
    counts: StageCountsSchema,
    usage: UsageSchema,
    latency_ms: z.number().min(0),
    /** Set when the conversation could not be extracted; its candidates are then empty. */
    error: SampleErrorSchema.optional(),
    /** The end of what the user's extractor wrote to stderr (command extractor), bounded. */
    stderr: z.string().optional(),
  })
  .strict();

export type StageCounts = z.infer<typeof StageCountsSchema>;
export type Usage = z.infer<typeof UsageSchema>;
export type SampleErrorKind = z.infer<typeof SampleErrorKindSchema>;
export type SampleError = z.infer<typeof SampleErrorSchema>;
export type DryRunResult = z.infer<typeof DryRunResultSchema>;
