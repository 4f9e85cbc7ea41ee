import { z } from "zod";
import { JunkCategorySchema } from "./verdict.js";

/** Where a proposal stands in review; only `accepted` ones have become golden memories. */
export const ProposalStatusSchema = z.enum(["proposed", "accepted", "rejected"]);

/** A candidate memory offered for review by `golden propose`; not golden until accepted. */
export const ProposalSchema = z
  .object({
    id: z.string().min(1),
    conversation_id: z.string().min(1),
    status: ProposalStatusSchema,
    text: z.string().trim().min(1, "must not be empty"),
    /**
     * The text the extractor wrote, kept when a reviewer edits `text`: a run's candidates, and so the
     * labels of this proposal, are matched by it. Absent while the text is unedited.
     */
    extracted_text: z.string().trim().min(1).optional(),
    type: z.string().min(1).optional(),
    subject: z.string().optional(),
    predicate: z.string().optional(),
    object: z.string().optional(),
    /** Turn ids the extractor cited. */
    evidence: z.array(z.string().min(1)),
    confidence: z.number().min(0).max(1).optional(),
    /** Name of the extractor config that proposed it. */
    source: z.string().optional(),
    /** The golden memory an accepted proposal became. */
    golden_id: z.string().min(1).optional(),
  })
  .strict();

/**
 * A human judgement of one extracted memory. A label refers to a candidate by its conversation id
 * and its text as the extractor wrote it (trimmed, whitespace collapsed, case ignored): the key stays
 * stable across runs of the same extractor, unlike candidate indexes, and a reviewer's edit of the
 * proposal's text does not move it.
 */
export const HumanLabelSchema = z
  .object({
    conversation_id: z.string().min(1),
    text: z.string().trim().min(1, "must not be empty"),
    /** The proposal the label was given on, when it was given on the review page. */
    proposal_id: z.string().min(1).optional(),
    /** Usefulness 1–5; 4 and 5 count as useful, as for the judge. */
    usefulness: z.number().int().min(1).max(5).optional(),
    /** Whether the memory is junk; `junk_category` says which kind. */
    junk: z.boolean().optional(),
    junk_category: JunkCategorySchema.optional(),
  })
  .strict();

const column = z.string().min(1);

/**
 * Where each field of a turn (and optionally of a golden memory) is found in a CSV row or a JSONL
 * record: a CSV header name, or a dotted path in a JSON record. Fields left out are looked up under
 * their own name.
 */
export const ColumnMappingSchema = z
  .object({
    conversation_id: column.optional(),
    turn_id: column.optional().describe("Default: turns numbered t1, t2, … in each conversation."),
    speaker: column.optional(),
    role: column.optional(),
    text: column.optional(),
    timestamp: column.optional(),
    namespace: column.optional().describe("Default: import:<conversation id>."),
    entities: column
      .optional()
      .describe(
        "Known entities of the conversation: names separated by commas or semicolons, or a JSON array of names (in the nested JSONL layout, read from the conversation record). The speakers of its user turns are always added.",
      ),
    memory: column.optional().describe("A golden memory stated by this turn (its evidence)."),
    memory_type: column.optional(),
    memory_subject: column.optional(),
    memory_predicate: column.optional(),
    memory_object: column.optional(),
    memory_evidence: column.optional().describe("More evidence turn ids, separated by commas or spaces."),
  })
  .strict();

/** The small mapping file `golden import --mapping` reads (YAML). */
export const ImportMappingSchema = z
  .object({
    /** CSV field delimiter. Default: `,`. */
    delimiter: z.string().min(1).max(4).optional(),
    /** JSONL: the path of a record's array of turns, when each record is a whole conversation. Default: each record is one turn. */
    turns: column.optional(),
    columns: ColumnMappingSchema.default({}),
  })
  .strict();

export type ProposalStatus = z.infer<typeof ProposalStatusSchema>;
export type Proposal = z.infer<typeof ProposalSchema>;
export type HumanLabel = z.infer<typeof HumanLabelSchema>;
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;
export type ImportMapping = z.infer<typeof ImportMappingSchema>;
export type MappedField = keyof ColumnMapping;

/** Editable fields of a memory in review; an empty string clears an optional field. */
export const MemoryFieldsSchema = z
  .object({
    text: z.string(),
    type: z.string(),
    subject: z.string(),
    predicate: z.string(),
    object: z.string(),
    evidence: z.array(z.string().min(1)),
    alternatives: z.array(z.string()),
  })
  .partial()
  .strict();

/**
 * The version of the record an action edits, as the page last saw it (0 for a label not made yet):
 * an edit made on a record that changed since is refused with the current one. The review server
 * requires it of every action that edits an existing record.
 */
const version = z.number().int().min(0).optional();

/** One change a reviewer makes on the review page; every one is saved at once and undoable. */
export const ReviewActionSchema = z.discriminatedUnion("op", [
  z
    .object({
      op: z.literal("accept"),
      proposal_id: z.string().min(1),
      version,
      /** Accept a proposal that repeats a golden memory of its conversation (refused without it). */
      confirm_near_duplicate: z.boolean().optional(),
    })
    .strict(),
  z.object({ op: z.literal("reject"), proposal_id: z.string().min(1), version }).strict(),
  z
    .object({ op: z.literal("edit_proposal"), proposal_id: z.string().min(1), fields: MemoryFieldsSchema, version })
    .strict(),
  z
    .object({ op: z.literal("edit_golden"), golden_id: z.string().min(1), fields: MemoryFieldsSchema, version })
    .strict(),
  z.object({ op: z.literal("delete_golden"), golden_id: z.string().min(1), version }).strict(),
  z.object({ op: z.literal("add_golden"), conversation_id: z.string().min(1), fields: MemoryFieldsSchema }).strict(),
  z
    .object({
      op: z.literal("label"),
      /** The proposal rated: the label takes its conversation and its text as extracted. */
      proposal_id: z.string().min(1).optional(),
      /** Without proposal_id: the candidate's conversation and text. */
      conversation_id: z.string().min(1).optional(),
      text: z.string().min(1).optional(),
      version,
      /** null clears the rating. */
      usefulness: z.number().int().min(1).max(5).nullable().optional(),
      junk: z.boolean().nullable().optional(),
      junk_category: JunkCategorySchema.nullable().optional(),
    })
    .strict(),
  z.object({ op: z.literal("undo") }).strict(),
]);

export type MemoryFields = z.infer<typeof MemoryFieldsSchema>;
export type ReviewAction = z.infer<typeof ReviewActionSchema>;
