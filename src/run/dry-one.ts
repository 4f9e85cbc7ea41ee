import { resolve } from "node:path";
import { InputError, throwIfProblems } from "../errors.js";
import { createExtractStage } from "../extract/extractors/registry.js";
import { rememberDry } from "../extract/remember-dry.js";
import { loadExtractorConfig } from "../load/load-config.js";
import { loadConversations } from "../load/load-inputs.js";
import type { DryRunResult } from "../schema/dry-run.js";

export interface DryOptions {
  config: string;
  dataset: string;
  conversation: string;
}

/** One rememberDry of one conversation under one config, for inspecting an extractor by hand. */
export async function dryRunOne(options: DryOptions): Promise<DryRunResult> {
  const loaded = loadExtractorConfig(resolve(options.config));
  const conversations = loadConversations(resolve(options.dataset));
  const conversation = conversations.find((c) => c.id === options.conversation);
  if (!conversation) {
    const known = conversations.slice(0, 5).map((c) => c.id).join(", ");
    throw new InputError([{ file: options.dataset, message: `no conversation "${options.conversation}" (ids include: ${known})` }]);
  }
  const stage = await createExtractStage(loaded.config.extractor, { configPath: loaded.path, config: loaded.config });
  throwIfProblems(stage.check?.([conversation]) ?? []);
  return rememberDry(conversation, loaded.config, stage);
}
