import { resolve } from "node:path";
import { existsSync, statSync } from "node:fs";
import { RunError, UsageError } from "../errors.js";
import { createExtractStage } from "../extract/extractors/registry.js";
import { isRegisteredProvider } from "../providers/registry.js";
import { rememberDry } from "../extract/remember-dry.js";
import { loadExtractorConfig } from "../load/load-config.js";
import { indexConversations } from "../load/load-inputs.js";
import type { Candidate } from "../schema/candidate.js";
import type { Proposal } from "../schema/curation.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { toJsonl } from "./records.js";

export interface ProposeOptions {
  config: string;
  dataset: string;
  /** Proposals file to write (JSONL). */
  out: string;
  /** Replace a proposals file that already holds proposals (and their review). Default false. */
  force?: boolean;
}

export interface ProposeOutcome {
  proposals: Proposal[];
  conversations: number;
  /** Conversations the extractor failed on: recorded, not fatal. */
  failures: Array<{ conversation_id: string; message: string }>;
  file: string;
}

/** A candidate offered for review, linked to its evidence turns; not golden until accepted. */
export function candidateToProposal(
  candidate: Candidate,
  conversationId: string,
  index: number,
  source: string,
): Proposal {
  return {
    id: `${conversationId}/p${index + 1}`,
    conversation_id: conversationId,
    status: "proposed",
    text: candidate.text,
    type: candidate.type,
    subject: candidate.subject,
    predicate: candidate.predicate,
    object: candidate.object,
    evidence: candidate.evidence,
    confidence: candidate.confidence,
    source,
  };
}

/** Run an extractor over a dataset (as `run` does, persisting nothing) and write its candidates as proposals. */
export async function proposeMemories(options: ProposeOptions): Promise<ProposeOutcome> {
  const file = resolve(options.out);
  if (!options.force && existsSync(file) && statSync(file).size > 0) {
    throw new UsageError(
      `${file} already holds proposals, perhaps reviewed; choose another --out or pass --force to replace it`,
    );
  }
  const loaded = loadExtractorConfig(resolve(options.config), isRegisteredProvider);
  // The dataset is indexed, and each conversation read when its turn comes.
  const conversations = indexConversations(resolve(options.dataset));
  const stage = await createExtractStage(loaded.config.extractor, { configPath: loaded.path, config: loaded.config });
  const proposals: Proposal[] = [];
  const failures: ProposeOutcome["failures"] = [];
  try {
    for (const entry of conversations.entries) {
      const conversation = conversations.load(entry);
      const result = await rememberDry(conversation, loaded.config, stage);
      if (result.error)
        failures.push({ conversation_id: conversation.id, message: `${result.error.kind}: ${result.error.message}` });
      const turnIds = new Set(conversation.turns.map((t) => t.id));
      result.candidates.forEach((candidate, index) => {
        const proposal = candidateToProposal(candidate, conversation.id, index, loaded.config.name);
        // Evidence the extractor invented would not validate as golden: keep only real turns.
        proposal.evidence = proposal.evidence.filter((id) => turnIds.has(id));
        proposals.push(proposal);
      });
    }
  } finally {
    conversations.files.close();
  }
  if (conversations.size === failures.length && failures.length > 0) {
    throw new RunError(`the extractor failed on every conversation (first: ${failures[0]!.message})`);
  }
  writeFileAtomic(file, toJsonl(proposals));
  return { proposals, conversations: conversations.size, failures, file };
}
