import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { InputError, throwIfProblems, type Problem } from "../errors.js";
import { BenchConfigSchema, type BenchConfig } from "../schema/bench-config.js";
import { ExtractorConfigSchema, type ExtractorConfig } from "../schema/extractor-config.js";
import { locatePath } from "./locate.js";
import { parseYaml } from "./parse-yaml.js";
import { readText } from "./read-text.js";
import { validateRecord } from "./validate-record.js";

/** Read a YAML document and validate it; problems carry the file, line and path. */
export function loadYamlDocument<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const problems: Problem[] = [];
  const text = readText(file);
  const value = parseYaml(text, file, problems);
  throwIfProblems(problems);
  if (value === null || value === undefined)
    throw new InputError([{ file, message: "file is empty: expected a YAML mapping" }]);
  const data = validateRecord(schema, value, { file, locate: (path) => locatePath(text, path) }, problems);
  throwIfProblems(problems);
  return data as z.infer<S>;
}

export interface LoadedExtractorConfig {
  path: string;
  config: ExtractorConfig;
}

export function loadExtractorConfig(file: string): LoadedExtractorConfig {
  return { path: resolve(file), config: loadYamlDocument(file, ExtractorConfigSchema) };
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

export function loadBenchConfig(file: string): LoadedBenchConfig {
  const config = loadYamlDocument(file, BenchConfigSchema);
  return { path: resolve(file), config, paths: resolveBenchPaths(config, dirname(resolve(file))) };
}
