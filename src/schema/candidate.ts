import { z } from "zod";

export const ResolutionStageSchema = z.enum(["exact", "alias", "fuzzy", "fallback"]);

export const ResolvedEntitySchema = z
  .object({
    /** The entity string as the extractor wrote it. */
    mention: z.string().min(1),
    /** The entity id it resolved to (a UUID v5 of the mention when nothing matched). */
    id: z.string().min(1),
    stage: ResolutionStageSchema,
  })
  .strict();

export const ExtractorInfoSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1),
    /** First 16 hex digits of the SHA-256 of the model name. */
    model_version_hash: z.string().regex(/^[0-9a-f]{16}$/, "expected 16 lowercase hex digits"),
    extractor_schema_version: z.number().int().min(0),
  })
  .strict();

const confidence = z.number().min(0, "expected a confidence in [0, 1]").max(1, "expected a confidence in [0, 1]");

/** What an extract stage (or the user's own extractor) returns, before resolve_refs and dedupe. */
export const RawCandidateSchema = z
  .object({
    text: z.string().optional().describe("The memory in plain words. Default: subject, predicate and object joined."),
    type: z.string().min(1).describe("Memory type: fact, preference, event, relation, …"),
    subject: z
      .string()
      .min(1)
      .describe(
        "Who or what the memory is about, as the extractor names it; resolved against the scope's known entities.",
      ),
    predicate: z
      .string()
      .min(1)
      .describe(
        "The relation, as the extractor spells it; normalization mappings apply, the raw form is kept in raw_predicate.",
      ),
    object: z.string().describe("The value of the relation."),
    confidence: confidence.describe("The extractor's confidence, in [0, 1]; confidence scaling applies."),
    evidence: z
      .array(z.string().min(1))
      .default([])
      .describe("Ids of the conversation's turns that state it. Default: none."),
    entities: z
      .array(z.string().min(1))
      .optional()
      .describe("Entity mentions to resolve, subject first. Default: the subject is the only mention."),
  })
  .strict();

/**
 * What the user's own extractor prints (the `command` extractor's stdout, a `replay` line's
 * `candidates`): a bare array of candidates, or an object with usage.
 */
export const ExtractorOutputSchema = z.union([
  z.array(RawCandidateSchema),
  z
    .object({
      candidates: z.array(RawCandidateSchema),
      usage: z
        .object({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) })
        .strict()
        .optional()
        .describe("Tokens the extractor spent on this conversation, summed into the report."),
    })
    .strict(),
]);

/** A memory that would have been stored: the output of rememberDry. */
export const CandidateSchema = z
  .object({
    text: z.string(),
    type: z.string().min(1),
    subject: z.string().min(1),
    predicate: z.string().min(1),
    raw_predicate: z.string().min(1),
    object: z.string(),
    confidence,
    evidence: z.array(z.string()),
    entities: z.array(ResolvedEntitySchema),
    schema_version: z.number().int().min(0),
    extractor: ExtractorInfoSchema,
  })
  .strict();

export type ResolutionStage = z.infer<typeof ResolutionStageSchema>;
export type ResolvedEntity = z.infer<typeof ResolvedEntitySchema>;
export type ExtractorInfo = z.infer<typeof ExtractorInfoSchema>;
export type RawCandidate = z.infer<typeof RawCandidateSchema>;
export type RawCandidateInput = z.input<typeof RawCandidateSchema>;
export type Candidate = z.infer<typeof CandidateSchema>;
