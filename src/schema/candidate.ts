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
    text: z.string().optional(),
    type: z.string().min(1),
    subject: z.string().min(1),
    predicate: z.string().min(1),
    object: z.string(),
    confidence,
    evidence: z.array(z.string().min(1)).default([]),
    /** Entity mentions to resolve; when absent, the subject is the only mention. */
    entities: z.array(z.string().min(1)).optional(),
  })
  .strict();

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
