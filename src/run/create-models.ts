import { UsageError } from "../errors.js";
import { isRegisteredProvider } from "../providers/registry.js";
import type { ModelRuntime } from "../providers/model-runtime.js";
import type { BenchConfig } from "../schema/bench-config.js";
import { ModelProviderSchema, type ModelSettings } from "../schema/model-settings.js";
import type { BenchOptions } from "./plan.js";

/** Settings of a model provider a config can name (the judge's or an extractor's): one the bench ships or one registered from code. */
export function isModelSettings(value: unknown): value is ModelSettings {
  const provider = (value as { provider?: unknown } | null)?.provider;
  return (
    ModelProviderSchema.safeParse(provider).success || (typeof provider === "string" && isRegisteredProvider(provider))
  );
}

/** An extractor config or the judge, which may call a model: its settings, and how messages name it. */
export interface ModelUser {
  /** How a message names it: "the candidate config", "the judge". */
  name: string;
  /** The file that sets it, as shown to the user. Default: none shown. */
  file?: string;
  settings: unknown;
}

/**
 * What to set for the missing API keys, and who needs each:
 * `set ANTHROPIC_API_KEY in the environment, for the candidate config (configs/candidate.yaml) and the judge (extractor-bench.yaml)`.
 */
function missingKeysText(
  users: ModelUser[],
  env: NodeJS.ProcessEnv,
  missingApiKeys: (settings: ModelSettings[], env: NodeJS.ProcessEnv) => string[],
): string | undefined {
  const needs = new Map<string, string[]>();
  for (const user of users) {
    if (!isModelSettings(user.settings)) continue;
    for (const variable of missingApiKeys([user.settings], env))
      needs.set(variable, [...(needs.get(variable) ?? []), user.file ? `${user.name} (${user.file})` : user.name]);
  }
  if (needs.size === 0) return undefined;
  return [...needs]
    .map(([variable, whom]) => `set ${variable} in the environment, for ${whom.join(" and ")}`)
    .join("; ");
}

/**
 * The run's model runtime when a config or the judge calls a model; a missing API key is bad usage,
 * reported before any work starts, naming the variables (never a value) and who needs each. The
 * module is loaded only then.
 */
export async function createModels(
  bench: Pick<BenchConfig, "cache" | "rate_limits" | "retries" | "pricing" | "max_cost_usd"> &
    Partial<Pick<BenchConfig, "batch">>,
  cacheDir: string,
  users: ModelUser[],
  options: Pick<BenchOptions, "maxCostUsd" | "cacheMode">,
  env: NodeJS.ProcessEnv,
): Promise<ModelRuntime | undefined> {
  const settings = users.map((user) => user.settings).filter(isModelSettings);
  if (settings.length === 0) return undefined;
  const { ModelRuntime, missingApiKeys, unpricedModels } = await import("../providers/model-runtime.js");
  const missing = missingKeysText(users, env, missingApiKeys);
  if (missing) throw new UsageError(`missing API key: ${missing}`);
  const maxCostUsd = options.maxCostUsd ?? bench.max_cost_usd;
  const unpriced = maxCostUsd === undefined ? [] : unpricedModels(settings, bench.pricing);
  if (unpriced.length > 0) {
    throw new UsageError(
      `a cost limit is set but ${unpriced.join(", ")} has no price: add it under pricing (USD per million tokens; 0 for a local model)`,
    );
  }
  return new ModelRuntime({
    cache: { mode: options.cacheMode ?? bench.cache.mode, dir: cacheDir },
    rateLimits: bench.rate_limits,
    retries: bench.retries,
    pricing: bench.pricing,
    ...(bench.batch ? { batch: bench.batch } : {}),
    ...(maxCostUsd === undefined ? {} : { maxCostUsd }),
    env,
  });
}
