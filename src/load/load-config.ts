import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { InputError, throwIfProblems, type Problem } from "../errors.js";
import { BenchConfigSchema, type BenchConfig } from "../schema/bench-config.js";
import { ExtractorConfigSchema, type ExtractorConfig } from "../schema/extractor-config.js";
import { ModelProviderSchema } from "../schema/model-settings.js";
import { readRegisteredProviders, type SettingsPath } from "../schema/registered-providers.js";
import { locatePath } from "./locate.js";
import { parseYaml } from "./parse-yaml.js";
import { readText } from "./read-text.js";
import { validateRecord } from "./validate-record.js";

/**
 * Providers registered from code (`registerProvider`) that a config may name: whether a name is one.
 * Default: none (a config names the providers the bench ships).
 */
export type RegisteredProviders = (name: string) => boolean;

const NONE_REGISTERED: RegisteredProviders = () => false;

/**
 * A settings section's `provider` that names no provider the schema lists may name one registered
 * from code, which the schema cannot list: its message says so, as the `rate_limits` check does.
 */
function namingRegistered(problems: Problem[], settings: readonly SettingsPath[]): void {
  const providers = new Set(settings.map((path) => [...path, "provider"].join(".")));
  for (const problem of problems)
    if (problem.path !== undefined && providers.has(problem.path))
      problem.message = problem.message.replace(
        /expected one of [^,]*/,
        (listed) => `${listed}, or a provider registered with registerProvider`,
      );
}

/**
 * Read a YAML document and validate it; problems carry the file, line and path. The model settings
 * at `settings` may name a registered provider (see readRegisteredProviders).
 */
export function loadYamlDocument<S extends z.ZodType>(
  file: string,
  schema: S,
  settings: readonly SettingsPath[] = [],
  registered: RegisteredProviders = NONE_REGISTERED,
): z.infer<S> {
  const problems: Problem[] = [];
  const text = readText(file);
  const value = parseYaml(text, file, problems);
  throwIfProblems(problems);
  if (value === null || value === undefined)
    throw new InputError([{ file, message: "file is empty: expected a YAML mapping" }]);
  const read = readRegisteredProviders(value, settings, registered);
  const where = { file, locate: (path: readonly PropertyKey[]) => locatePath(text, path) };
  const data = validateRecord(schema, read.value, where, problems);
  namingRegistered(problems, settings);
  throwIfProblems(problems);
  read.restore(data);
  return data as z.infer<S>;
}

export interface LoadedExtractorConfig {
  path: string;
  config: ExtractorConfig;
}

/** An extractor config; its `extractor` may name a provider registered from code (`registered`). */
export function loadExtractorConfig(file: string, registered?: RegisteredProviders): LoadedExtractorConfig {
  return { path: resolve(file), config: loadYamlDocument(file, ExtractorConfigSchema, [["extractor"]], registered) };
}

export interface LoadedBenchConfig {
  path: string;
  config: BenchConfig;
  /** The config's paths, resolved against the bench file's folder. */
  paths: {
    baseline: string;
    candidate: string;
    dataset: string;
    golden: string;
    output: string;
    cache: string;
    labels?: string;
    queries?: string;
  };
}

export function resolveBenchPaths(config: BenchConfig, baseDir: string): LoadedBenchConfig["paths"] {
  return {
    baseline: resolve(baseDir, config.baseline),
    candidate: resolve(baseDir, config.candidate),
    dataset: resolve(baseDir, config.dataset),
    golden: resolve(baseDir, config.golden),
    output: resolve(baseDir, config.output.dir),
    cache: resolve(baseDir, config.cache.dir),
    ...(config.labels ? { labels: resolve(baseDir, config.labels) } : {}),
    ...(config.queries ? { queries: resolve(baseDir, config.queries) } : {}),
  };
}

/** A bench file; its `judge` and `rate_limits` may name providers registered from code (`registered`). */
export function loadBenchConfig(file: string, registered: RegisteredProviders = NONE_REGISTERED): LoadedBenchConfig {
  const config = loadYamlDocument(file, BenchConfigSchema, [["judge"]], registered);
  checkRateLimitProviders(file, config, registered);
  return { path: resolve(file), config, paths: resolveBenchPaths(config, dirname(resolve(file))) };
}

/** `rate_limits` is keyed by model provider: one the bench ships or one registered from code. */
function checkRateLimitProviders(file: string, config: BenchConfig, registered: RegisteredProviders): void {
  const shipped: readonly string[] = ModelProviderSchema.options;
  const unknown = Object.keys(config.rate_limits).filter((name) => !shipped.includes(name) && !registered(name));
  if (unknown.length === 0) return;
  const text = readText(file);
  throw new InputError(
    unknown.map((name) => ({
      file,
      line: locatePath(text, ["rate_limits", name]),
      path: `rate_limits.${name}`,
      message: `no model provider is named "${name}": expected ${shipped.join(" or ")}, or a provider registered with registerProvider`,
    })),
  );
}
