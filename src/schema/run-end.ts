import type { RunEnd } from "./run-log.js";

/**
 * Whether a run_end closes a run that did every unit (a cancelled or failed part leaves it to a
 * resume). Apart from the run-log schema, so code that reads a run_end needs no zod.
 */
export function endsFinishedRun(end: RunEnd): boolean {
  return end.status === undefined || end.status === "success";
}
