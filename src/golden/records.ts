import { existsSync } from "node:fs";
import type { z } from "zod";
import { throwIfProblems, type Problem } from "../errors.js";
import { readRecords } from "../load/read-records.js";
import { readText } from "../load/read-text.js";

/** Records as JSONL, one per line, ending with a newline (nothing at all for none). */
export function toJsonl(records: readonly unknown[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join("");
}

/**
 * Records of a curation file (proposals, labels) that may not exist yet: a missing or blank file
 * holds none. Anything else goes through the bench's own reader and its located errors.
 */
export function readOptionalRecords<S extends z.ZodType>(path: string, schema: S): z.infer<S>[] {
  if (!existsSync(path) || readText(path).trim() === "") return [];
  const problems: Problem[] = [];
  const items = readRecords(path, schema, problems);
  throwIfProblems(problems);
  return items.map((item) => item.value);
}
