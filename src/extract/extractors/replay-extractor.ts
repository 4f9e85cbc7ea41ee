import { dirname, resolve } from "node:path";
import { z } from "zod";
import { throwIfProblems, type Problem } from "../../errors.js";
import { readRecords } from "../../load/read-records.js";
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
  const byConversation = new Map<string, RawCandidate[]>();
  for (const record of readRecords(path, ReplayRecordSchema, problems)) {
    const existing = byConversation.get(record.value.conversation_id) ?? [];
    byConversation.set(record.value.conversation_id, [...existing, ...record.value.candidates]);
  }
  throwIfProblems(problems);
  return {
    async extract({ conversation }) {
      const candidates = byConversation.get(conversation.id);
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
