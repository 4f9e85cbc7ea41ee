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
  const lineOfConversation = new Map<string, number | undefined>();
  for (const record of readRecords(path, ReplayRecordSchema, problems)) {
    const id = record.value.conversation_id;
    if (lineOfConversation.has(id)) {
      const first = lineOfConversation.get(id);
      problems.push({
        file: record.where.file,
        ...(record.where.line !== undefined ? { line: record.where.line } : {}),
        path: "conversation_id",
        message: `conversation "${id}" is replayed twice${first !== undefined ? ` (first at line ${first})` : ""}: one line per conversation`,
      });
      continue;
    }
    lineOfConversation.set(id, record.where.line);
    byConversation.set(id, record.value.candidates);
  }
  throwIfProblems(problems);
  return {
    check(conversations) {
      const turns = new Map(conversations.map((c) => [c.id, new Set(c.turns.map((t) => t.id))]));
      const found: Problem[] = [];
      for (const [id, candidates] of byConversation) {
        const line = lineOfConversation.get(id);
        const at = (problemPath: string, message: string): Problem => ({ file: path, ...(line !== undefined ? { line } : {}), path: problemPath, message });
        const known = turns.get(id);
        if (!known) {
          found.push(at("conversation_id", `no conversation "${id}" in the dataset`));
          continue;
        }
        candidates.forEach((candidate, i) =>
          candidate.evidence.forEach((turn, j) => {
            if (!known.has(turn)) found.push(at(`candidates[${i}].evidence[${j}]`, `no turn "${turn}" in conversation "${id}"`));
          }),
        );
      }
      return found;
    },
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
