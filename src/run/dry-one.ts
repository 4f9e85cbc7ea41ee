import { resolve } from "node:path";
import { InputError, throwIfProblems } from "../errors.js";
import { createExtractStage } from "../extract/extractors/registry.js";
import { isRegisteredProvider } from "../providers/registry.js";
import { rememberDry } from "../extract/remember-dry.js";
import { loadExtractorConfig } from "../load/load-config.js";
import { ConversationSet, indexConversations } from "../load/load-inputs.js";
import { BenchConfigSchema, type CacheMode } from "../schema/bench-config.js";
import type { DryRunResult } from "../schema/dry-run.js";
import { displayPath } from "../text/display-path.js";
import { createModels } from "./create-models.js";

export interface DryOptions {
  config: string;
  dataset: string;
  conversation: string;
  /** Where API keys and header values are read. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Model answer cache mode. Default: read-write. */
  cacheMode?: CacheMode;
  /** Model answer cache folder. Default: `.extractor-bench/cache` in the working folder. */
  cacheDir?: string;
}

/** One rememberDry of one conversation under one config, for inspecting an extractor by hand. */
export async function dryRunOne(options: DryOptions): Promise<DryRunResult> {
  const loaded = loadExtractorConfig(resolve(options.config), isRegisteredProvider);
  const conversations = indexConversations(resolve(options.dataset));
  const entry = conversations.get(options.conversation);
  if (!entry) {
    const known = conversations.entries
      .slice(0, 5)
      .map((c) => c.id)
      .join(", ");
    throw new InputError([
      { file: options.dataset, message: `no conversation "${options.conversation}" (ids include: ${known})` },
    ]);
  }
  const env = options.env ?? process.env;
  // A model extractor here uses the default cache, retries and limits, as a bench file without those keys would.
  const defaults = BenchConfigSchema.parse({ baseline: "-", candidate: "-", dataset: "-", golden: "-" });
  const cacheDir = resolve(options.cacheDir ?? defaults.cache.dir);
  const user = { name: "the config", file: displayPath(loaded.path), settings: loaded.config.extractor };
  const models = await createModels(
    defaults,
    cacheDir,
    [user],
    options.cacheMode ? { cacheMode: options.cacheMode } : {},
    env,
  );
  const stage = await createExtractStage(loaded.config.extractor, {
    configPath: loaded.path,
    config: loaded.config,
    env,
    ...(models ? { models } : {}),
  });
  const conversation = conversations.load(entry);
  throwIfProblems(stage.check?.(ConversationSet.of([conversation])) ?? []);
  const result = await rememberDry(conversation, loaded.config, stage);
  await models?.cache.flush();
  return result;
}
