import type { BatchApiFactory } from "./batch-api.js";
import type { ProviderFactory } from "./provider.js";

/**
 * Providers by name, each loaded on first use: a run whose configs name neither SDK never imports it.
 * `scripted` answers from registered functions, for tests and library users without a model.
 */
const PROVIDERS: Record<string, () => Promise<ProviderFactory>> = {
  anthropic: async () => (await import("./anthropic-provider.js")).createAnthropicProvider,
  openai: async () => (await import("./openai-provider.js")).createOpenAIProvider,
  scripted: async () => (await import("./scripted-provider.js")).createScriptedProvider,
};

export async function loadProviderFactory(name: string): Promise<ProviderFactory> {
  const load = PROVIDERS[name];
  if (!load) throw new Error(`unknown model provider "${name}" (known: ${Object.keys(PROVIDERS).join(", ")})`);
  return load();
}

/** Providers with a batch API, loaded like the providers themselves. */
const BATCH_APIS: Record<string, () => Promise<BatchApiFactory>> = {
  anthropic: async () => (await import("./batch-anthropic.js")).createAnthropicBatchApi,
  openai: async () => (await import("./batch-openai.js")).createOpenAIBatchApi,
};

export function hasBatchApi(name: string): boolean {
  return name in BATCH_APIS;
}

export async function loadBatchApiFactory(name: string): Promise<BatchApiFactory> {
  const load = BATCH_APIS[name];
  if (!load) throw new Error(`model provider "${name}" has no batch API (batch APIs: ${Object.keys(BATCH_APIS).join(", ")})`);
  return load();
}
