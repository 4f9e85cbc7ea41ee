import { z } from "zod";

/** The phases of a run, in order: the dry runs with their judgements, the junk sample, the pairwise comparison, the retrieval simulation. */
export const RUN_PHASES = ["dry_run", "junk", "pairwise", "retrieval"] as const;

/** Wall time of one phase of a run and the units of work it went through. */
export const RunPhaseSchema = z
  .object({
    name: z.enum(RUN_PHASES),
    wall_ms: z.number().min(0),
    units: z.number().int().min(0),
    /** Units of each round a phase waited on before the next (the junk sample grows in rounds). Absent: one round. */
    rounds: z.array(z.number().int().min(0)).optional(),
  })
  .strict();

export type RunPhaseName = (typeof RUN_PHASES)[number];
export type RunPhase = z.infer<typeof RunPhaseSchema>;
