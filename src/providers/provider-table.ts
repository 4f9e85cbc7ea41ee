import type { ModelProvider } from "../schema/model-settings.js";
import type { BatchApiFactory } from "./batch-api.js";
import type { ProviderFactory } from "./provider.js";

/**
 * What the bench knows of one model provider. Every module that treats providers differently
 * (runtime, batch mode, plan, pricing, re-extraction cost, request building) reads it here.
 */
export interface ProviderDefinition {
  /** The client, loaded on first use: a run that never calls this provider never imports its SDK. */
  load: () => Promise<ProviderFactory>;
  /** Its batch API, loaded like the client. Default: none (calls always go live). */
  loadBatch?: () => Promise<BatchApiFactory>;
  /**
   * The environment variable its API key is read from unless the settings' `api_key_env` names
   * another. Default: none (the provider takes no key, and no variable is required).
   */
  apiKeyEnv?: string;
  /** Where its calls go when the settings name no `base_url`, as messages show it. Default: none shown. */
  publicUrl?: string;
  /** The request carries the settings' `temperature` when set (Anthropic's Messages API takes none). Default: false. */
  takesTemperature?: boolean;
  /**
   * Its calls go to a paid model API: re-extraction cost is estimated for it, and it is checked
   * with one small request before the run's first paid call. Default: false.
   */
  paid?: boolean;
}

/** Providers used only from code (tests, library users without a model), not named by config files. */
export type CodeProvider = "scripted";

export type BuiltInProvider = ModelProvider | CodeProvider;

/**
 * The built-in providers, one row each. A provider a config can name must have a row: the
 * `satisfies` clause makes a forgotten one a type error.
 */
export const PROVIDERS = {
  anthropic: {
    load: async () => (await import("./anthropic-provider.js")).createAnthropicProvider,
    loadBatch: async () => (await import("./batch-anthropic.js")).createAnthropicBatchApi,
    apiKeyEnv: "ANTHROPIC_API_KEY",
    publicUrl: "https://api.anthropic.com",
    paid: true,
  },
  openai: {
    load: async () => (await import("./openai-provider.js")).createOpenAIProvider,
    loadBatch: async () => (await import("./batch-openai.js")).createOpenAIBatchApi,
    apiKeyEnv: "OPENAI_API_KEY",
    publicUrl: "https://api.openai.com/v1",
    takesTemperature: true,
    paid: true,
  },
  // Answers from functions registered with `scriptModel`: no network, no SDK, no key.
  scripted: {
    load: async () => (await import("./scripted-provider.js")).createScriptedProvider,
  },
} satisfies Record<BuiltInProvider, ProviderDefinition>;
