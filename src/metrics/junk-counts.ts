import type { ConfigRole } from "../schema/run-log.js";
import type { JunkCounts } from "./config-metrics.js";
import { COL, FLAG, JUNK, junkOffset } from "./conversation-table.js";
import type { RunData } from "./run-data.js";

/** Slots of the paired conversations, in dataset order. */
export function pairedSlots(run: RunData): number[] {
  return run.table.inDatasetOrder().filter((slot) => run.table.flag(slot, FLAG.paired));
}

/** Junk judgements of one config over the paired conversations. */
export function junkCounts(run: RunData, paired: number[], role: ConfigRole): JunkCounts {
  const { table } = run;
  const counts: JunkCounts = { junk: 0, judged: 0, conversations: 0, categories: {} };
  const j = junkOffset(role);
  for (const slot of paired) {
    if (table.junkState(slot, role) !== JUNK.judged) continue;
    counts.conversations++;
    counts.junk += table.get(slot, COL.junk + j);
    counts.judged += table.get(slot, COL.junkJudged + j);
    for (const [category, n] of Object.entries(run.junkCategories.get(`${role}\u0000${table.id(slot)}`) ?? {})) {
      counts.categories[category] = (counts.categories[category] ?? 0) + n;
    }
  }
  return counts;
}
