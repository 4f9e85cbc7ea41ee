import { z } from "zod";

/** One turn of a LoCoMo session; image turns add `img_url`, `blip_caption` and `query`. */
export const LocomoTurnSchema = z.looseObject({
  speaker: z.string().min(1),
  dia_id: z.string().min(1),
  text: z.string(),
  img_url: z.unknown().optional(),
  blip_caption: z.string().optional(),
  query: z.string().optional(),
});

/** Evidence of an observation: one dia_id, a list of them, or one string naming several ("D1:3, D1:5"). */
export const LocomoEvidenceSchema = z.union([z.string(), z.array(z.string())]);

/** `[fact, evidence]`. */
export const LocomoObservationSchema = z.tuple([z.string(), LocomoEvidenceSchema]);

/**
 * One question of a sample's `qa` list: `{question, answer, evidence: ["D1:3"], category}`; the
 * adversarial ones (category 5) carry `adversarial_answer` instead of `answer`.
 */
export const LocomoQuestionSchema = z.looseObject({
  question: z.string(),
  evidence: LocomoEvidenceSchema.optional(),
  category: z.union([z.number(), z.string()]).optional(),
});

/**
 * One sample of the published `locomo10.json`. `conversation` holds `speaker_a`, `speaker_b`,
 * `session_N` turn lists and `session_N_date_time` strings; `observation` holds
 * `session_N_observation: {Speaker: [[fact, evidence], …]}`; `qa` holds its questions. Other keys
 * (summaries) are ignored.
 */
export const LocomoSampleSchema = z.looseObject({
  sample_id: z.union([z.string().min(1), z.number()]).transform(String),
  conversation: z.looseObject({
    speaker_a: z.string().min(1),
    speaker_b: z.string().min(1),
  }),
  observation: z.record(z.string(), z.record(z.string(), z.array(LocomoObservationSchema))).optional(),
  qa: z.array(LocomoQuestionSchema).optional(),
});

export const LocomoFileSchema = z.array(LocomoSampleSchema).min(1, "expected at least one sample");

export type LocomoTurn = z.infer<typeof LocomoTurnSchema>;
export type LocomoQuestion = z.infer<typeof LocomoQuestionSchema>;
export type LocomoSample = z.infer<typeof LocomoSampleSchema>;
