import type { Extractor } from "../../schema/extractor-config.js";
import type { ExtractStage, ExtractStageContext, ExtractStageFactory } from "../extract-stage.js";

/** Extract stages by provider, loaded on first use so a run imports only what its configs name. */
const FACTORIES: { [P in Extractor["provider"]]: () => Promise<ExtractStageFactory<Extract<Extractor, { provider: P }>>> } = {
  rules: async () => (await import("./rules/rules-extractor.js")).createRulesExtractor,
  replay: async () => (await import("./replay-extractor.js")).createReplayExtractor,
  command: async () => (await import("./command-extractor.js")).createCommandExtractor,
  anthropic: async () => (await import("./llm-extractor.js")).createLlmExtractor,
  openai: async () => (await import("./llm-extractor.js")).createLlmExtractor,
  http: async () => (await import("./http-extractor.js")).createHttpExtractor,
};

export async function createExtractStage(extractor: Extractor, context: ExtractStageContext): Promise<ExtractStage> {
  const factory = (await FACTORIES[extractor.provider]()) as ExtractStageFactory;
  return factory(extractor, context);
}
