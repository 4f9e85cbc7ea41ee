import type { RawCandidate } from "../schema/candidate.js";
import type { Conversation, Turn } from "../schema/conversation.js";
import type { SampleError, Usage } from "../schema/dry-run.js";
import type { Extractor, ExtractorConfig } from "../schema/extractor-config.js";
import type { UsageScope } from "../schema/model-usage.js";
import type { ModelRuntime } from "../providers/model-runtime.js";
import type { ConversationSet } from "../load/load-inputs.js";
import type { Problem } from "../errors.js";

export interface ExtractInput {
  conversation: Conversation;
  /** The turns left after the pre-filter. */
  turns: Turn[];
}

export interface ExtractOutput {
  candidates: RawCandidate[];
  calls: number;
  /** Calls whose answer was not valid JSON after one retry; they contribute no candidates. */
  jsonFailures: number;
  /** Calls whose answer could not be used, by why (`invalid_json`, `truncated`, `refused`, `empty`). */
  answerFailures?: Record<string, number>;
  /** What reading the answers repaired, and what they held that was dropped, by reason. */
  repairs?: Record<string, number>;
  dropped?: Record<string, number>;
  usage: Usage;
  /** The conversation could not be extracted at all; recorded, not thrown. */
  error?: SampleError;
  /** The end of the extractor program's stderr, kept for the run log. */
  stderr?: string;
}

/** The extract stage of rememberDry: one implementation per `extractor.provider`. */
export interface ExtractStage {
  extract(input: ExtractInput): Promise<ExtractOutput>;
  /**
   * The stage works on this thread and waits on nothing (no program, server or model): its units
   * gain nothing from running several at once. Default: false.
   */
  inProcess?: boolean;
  /**
   * What the stage read up front that contradicts the dataset (replayed candidates for a conversation
   * the dataset lacks, evidence naming a turn it does not have), checked before any work starts.
   */
  check?(conversations: ConversationSet): Problem[];
}

export interface ExtractStageContext {
  /** Absolute path of the extractor config file; relative paths in it resolve against its folder. */
  configPath: string;
  /** The whole extractor config (the user's own extractor receives it as written, defaults filled in). */
  config: ExtractorConfig;
  /** Model calls of the run (cache, limits, cost); model extractors need it. */
  models?: ModelRuntime;
  /** Which config this stage extracts for: its usage and error messages carry it. */
  scope?: UsageScope;
  /** Environment for API keys and header values. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds an extract stage. Anything it reads up front (a replay file) is validated here, so bad
 * input fails before any work starts.
 */
export type ExtractStageFactory<E extends Extractor = Extractor> = (
  extractor: E,
  context: ExtractStageContext,
) => Promise<ExtractStage>;

export function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0 };
}
