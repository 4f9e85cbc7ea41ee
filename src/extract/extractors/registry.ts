import type { Extractor } from "../../schema/extractor-config.js";
import type { ModelProvider } from "../../schema/model-settings.js";
import type { ExtractStage, ExtractStageContext, ExtractStageFactory } from "../extract-stage.js";

type OwnProvider = Exclude<Extractor["provider"], ModelProvider>;

/**
 * The reference pipeline with a provider registered from code (`registerProvider`): the settings
 * of an OpenAI-compatible model extractor, under the registered provider's name.
 */
export type RegisteredModelExtractor = Omit<Extract<Extractor, { provider: "openai" }>, "provider"> & {
  provider: string;
};

/** Extract stages that call no model, by provider, loaded on first use so a run imports only what its configs name. */
const FACTORIES: { [P in OwnProvider]: () => Promise<ExtractStageFactory<Extract<Extractor, { provider: P }>>> } = {
  rules: async () => (await import("./rules/rules-extractor.js")).createRulesExtractor,
  replay: async () => (await import("./replay-extractor.js")).createReplayExtractor,
  command: async () => (await import("./command-extractor.js")).createCommandExtractor,
  http: async () => (await import("./http-extractor.js")).createHttpExtractor,
};

/** Every model provider's extractor is the reference pipeline, calling the model through the run's runtime. */
const loadLlmExtractor = async () => (await import("./llm-extractor.js")).createLlmExtractor;

/** The loader of an extractor's module: a model provider's is the reference pipeline's. */
function loaderOf(provider: string): () => Promise<unknown> {
  return Object.hasOwn(FACTORIES, provider) ? FACTORIES[provider as OwnProvider] : loadLlmExtractor;
}

/**
 * Start loading an extractor's module without waiting: a run does so before it validates its
 * inputs, so the module's files are read while that work goes on. A module that cannot load fails
 * createExtractStage, as without this.
 */
export function preloadExtractStage(extractor: Extractor | RegisteredModelExtractor): void {
  loaderOf(extractor.provider)().catch(() => undefined);
}

export async function createExtractStage(
  extractor: Extractor | RegisteredModelExtractor,
  context: ExtractStageContext,
): Promise<ExtractStage> {
  // Every provider but the bench's own non-model ones is a model provider, named by a config or registered from code.
  const factory = (await loaderOf(extractor.provider)()) as ExtractStageFactory;
  return factory(extractor as Extractor, context);
}
