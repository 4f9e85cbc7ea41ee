import { UsageError } from "../errors.js";
import type { BatchApiFactory } from "./batch-api.js";
import type { ProviderFactory } from "./provider.js";
import { PROVIDERS, type ProviderDefinition } from "./provider-table.js";

export type { ProviderDefinition } from "./provider-table.js";

/** Providers a library user registered, beside the built-in table. */
const registered = new Map<string, ProviderDefinition>();

const NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * Add a model provider from outside the bench: its client is then reachable through the model
 * runtime by `{provider: name, model, …}` settings, with the cache, limits, retries and usage
 * accounts of the built-in ones. A built-in name cannot be replaced.
 */
export function registerProvider(name: string, definition: ProviderDefinition): void {
  if (!NAME.test(name))
    throw new UsageError(
      `a provider name is lower-case letters, digits, "_" and "-", starting with a letter; got "${name}"`,
    );
  if (Object.hasOwn(PROVIDERS, name))
    throw new UsageError(`"${name}" is a built-in provider: register yours under another name`);
  registered.set(name, definition);
}

/** The provider's row, built-in or registered; throws for a name the bench does not know. */
export function providerDefinition(name: string): ProviderDefinition {
  const definition: ProviderDefinition | undefined = Object.hasOwn(PROVIDERS, name)
    ? PROVIDERS[name as keyof typeof PROVIDERS]
    : registered.get(name);
  if (!definition) throw new Error(`unknown model provider "${name}" (known: ${knownProviders().join(", ")})`);
  return definition;
}

/** Whether `name` was registered from code (registerProvider): configs may then name it. */
export function isRegisteredProvider(name: string): boolean {
  return registered.has(name);
}

export function knownProviders(): string[] {
  return [...Object.keys(PROVIDERS), ...registered.keys()];
}

/** A known provider whose calls go to a paid model API (with a batch interface): what re-extraction cost can price. */
export function callsPaidModel(name: string): boolean {
  return knownProviders().includes(name) && providerDefinition(name).paid === true;
}

/** Throws for a provider name the bench does not know. */
export function assertKnownProvider(name: string): void {
  providerDefinition(name);
}

export async function loadProviderFactory(name: string): Promise<ProviderFactory> {
  return providerDefinition(name).load();
}

export function hasBatchApi(name: string): boolean {
  return providerDefinition(name).loadBatch !== undefined;
}

export async function loadBatchApiFactory(name: string): Promise<BatchApiFactory> {
  const load = providerDefinition(name).loadBatch;
  if (!load) {
    const batchApis = knownProviders().filter((known) => providerDefinition(known).loadBatch);
    throw new Error(`model provider "${name}" has no batch API (batch APIs: ${batchApis.join(", ")})`);
  }
  return load();
}

/** The API key variable for these settings: their own `api_key_env`, else the provider's; none for a provider that takes no key. */
export function apiKeyEnv(settings: { provider: string; api_key_env?: string | undefined }): string | undefined {
  return settings.api_key_env ?? providerDefinition(settings.provider).apiKeyEnv;
}

/** The temperature a request carries: the settings' own when set and the provider takes one; else none. */
export function requestTemperature(settings: { provider: string; temperature?: unknown }): number | undefined {
  return providerDefinition(settings.provider).takesTemperature && typeof settings.temperature === "number"
    ? settings.temperature
    : undefined;
}
