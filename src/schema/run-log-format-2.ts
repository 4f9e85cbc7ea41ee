import { z } from "zod";
import { GoldenMemorySchema } from "./golden.js";
import { RunStartSchema } from "./run-log.js";

/**
 * The run_start of a format 2 log, which copied the dataset's conversation list and the whole golden
 * set into it; its unit records carried no conversation position or golden count (dry runs), no
 * missed-memory text or field counts (coverage) and no junk candidates' text. A format 2 log is
 * upgraded to the current shape where it is read (run/log-upgrade.ts): nothing downstream sees it.
 */
export const RunStartFormat2Schema = RunStartSchema.extend({
  format_version: z.literal(2),
  dataset: z
    .object({
      path: z.string(),
      conversations: z.array(z.object({ id: z.string(), namespace: z.string(), turns: z.number().int() }).strict()),
    })
    .strict(),
  golden: z.object({ path: z.string(), memories: z.array(GoldenMemorySchema) }).strict(),
}).strict();

export type RunStartFormat2 = z.infer<typeof RunStartFormat2Schema>;
