import { dirname, resolve } from "node:path";
import { z } from "zod";
import { throwIfProblems, type Problem } from "../../errors.js";
import { reloadRecord, streamRecords, type RecordRef } from "../../load/read-records.js";
import { RawCandidateSchema, type RawCandidate } from "../../schema/candidate.js";
import type { ReplayExtractor } from "../../schema/extractor-config.js";
import { emptyUsage, type ExtractStageFactory } from "../extract-stage.js";

export const ReplayRecordSchema = z
  .object({ conversation_id: z.string().min(1), candidates: z.array(RawCandidateSchema) })
  .strict();

/**
 * Candidates produced elsewhere (e.g. exported from production), keyed by conversation id.
 * The file is read and validated when the stage is built, before any work starts.
 */
export const createReplayExtractor: ExtractStageFactory<ReplayExtractor> = async (extractor, context) => {
  const path = resolve(dirname(context.configPath), extractor.path);
  const problems: Problem[] = [];
  // The file is validated as it streams; each conversation's line is read again when its unit runs.
  const refOf = new Map<string, { ref: RecordRef; line: number | undefined }>();
  streamRecords(path, ReplayRecordSchema, problems, (record, where, ref) => {
    const id = record.conversation_id;
    const first = refOf.get(id);
    if (first) {
      problems.push({
        file: where.file,
        ...(where.line !== undefined ? { line: where.line } : {}),
        path: "conversation_id",
        message: `conversation "${id}" is replayed twice${first.line !== undefined ? ` (first at line ${first.line})` : ""}: one line per conversation`,
      });
      return;
    }
    refOf.set(id, { ref, line: where.line });
  });
  throwIfProblems(problems);
  const candidatesOf = (id: string): RawCandidate[] | undefined => {
    const entry = refOf.get(id);
    return entry ? reloadRecord(entry.ref, (value) => ReplayRecordSchema.parse(value)).candidates : undefined;
  };
  return {
    inProcess: true,
    check(conversations) {
      const found: Problem[] = [];
      for (const [id, { line }] of refOf) {
        const at = (problemPath: string, message: string): Problem => ({
          file: path,
          ...(line !== undefined ? { line } : {}),
          path: problemPath,
          message,
        });
        const entry = conversations.get(id);
        if (!entry) {
          found.push(at("conversation_id", `no conversation "${id}" in the dataset`));
          continue;
        }
        const known = new Set(entry.turnIds.split("\u0000"));
        candidatesOf(id)!.forEach((candidate, i) =>
          candidate.evidence.forEach((turn, j) => {
            if (!known.has(turn))
              found.push(at(`candidates[${i}].evidence[${j}]`, `no turn "${turn}" in conversation "${id}"`));
          }),
        );
      }
      return found;
    },
    async extract({ conversation }) {
      const candidates = candidatesOf(conversation.id);
      if (!candidates) {
        return {
          candidates: [],
          calls: 0,
          jsonFailures: 0,
          usage: emptyUsage(),
          error: { kind: "missing_replay", message: `no candidates for conversation "${conversation.id}" in ${path}` },
        };
      }
      return { candidates, calls: 1, jsonFailures: 0, usage: emptyUsage() };
    },
  };
};
