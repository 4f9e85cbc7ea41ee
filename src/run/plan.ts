import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
export { displayPath } from "../text/display-path.js";
import { displayPath } from "../text/display-path.js";
import { throwIfProblems, UsageError } from "../errors.js";
import { createExtractStage, preloadExtractStage } from "../extract/extractors/registry.js";
import { isRegisteredProvider } from "../providers/registry.js";
import type { ExtractStage } from "../extract/extract-stage.js";
import { createJudge, preloadJudge } from "../judge/create-judge.js";
import type { Judge } from "../judge/judge.js";
import {
  loadBenchConfig,
  loadExtractorConfig,
  resolveBenchPaths,
  type LoadedBenchConfig,
  type LoadedExtractorConfig,
} from "../load/load-config.js";
import { isDirectory, readText } from "../load/read-text.js";
import {
  indexConversations,
  indexGolden,
  loadLabels,
  type ConversationSet,
  type GoldenSet,
} from "../load/load-inputs.js";
import type { ModelRuntime } from "../providers/model-runtime.js";
import { priceWarnings } from "../providers/pricing.js";
import { BenchConfigSchema, CacheSettingsSchema, type BenchConfig, type CacheMode } from "../schema/bench-config.js";
import type { HumanLabel } from "../schema/curation.js";
import type { ConfigRole, Shard } from "../schema/run-log.js";
import { applyShard } from "./shard.js";
import { createModels, isModelSettings, type ModelUser } from "./create-models.js";
import { loadQueryFile, type QueryFile } from "../retrieval/queries.js";

export const DEFAULT_BENCH_FILE = "extractor-bench.yaml";

/** What `run` was asked to do: a bench file, flags that override it, or flags alone. */
export interface BenchOptions {
  benchFile?: string;
  baseline?: string;
  candidate?: string;
  dataset?: string;
  golden?: string;
  /** Human labels file; overrides the bench file's `labels`. */
  labels?: string;
  judge?: "heuristic";
  /** The run folder itself. Default: `<output.dir>/<run-id>`. */
  out?: string;
  /** Resolve relative paths against this folder. Default: the current directory. */
  cwd?: string;
  /** Stop making model calls once this much USD was spent (overrides `max_cost_usd`). */
  maxCostUsd?: number;
  /** Cache mode (overrides `cache.mode`). */
  cacheMode?: CacheMode;
  /** Where API keys and header values are read. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Send model calls through the providers' batch APIs (overrides `batch.enabled`). */
  batch?: boolean;
  /** Resume the interrupted run in this folder: redo only what its log lacks. */
  resume?: string;
  /** With `resume`: redo the units recorded as failed too. */
  retryErrors?: boolean;
  /** Stop taking new work when aborted (Ctrl-C); what finished is kept and the run can be resumed. */
  signal?: AbortSignal;
  /** Once stopped, how long units in flight may take to finish before they are abandoned (redone by a resume). Default STOP_GRACE_MS (400). */
  stopGraceMs?: number;
  /** Run only this shard of the conversations (1-based `{index, count}`); `merge` combines the shards' runs. Default: all. */
  shard?: Shard;
  /** The day the built-in price table's age is measured against. Default: now. */
  now?: Date;
  /** Told each warning as it arises, the plan's own (an old built-in price table) before any work starts. Default: none told. */
  onWarning?: (warning: string) => void;
  /** Told the run folder once it is claimed, before any unit runs (so a forced stop can name it). Default: none told. */
  onRunDir?: (runDir: string) => void;
}

export interface RunPlan {
  bench: BenchConfig;
  paths: LoadedBenchConfig["paths"];
  configs: Record<ConfigRole, LoadedExtractorConfig>;
  /** The dataset, validated and indexed: each conversation is read when its unit runs. */
  conversations: ConversationSet;
  golden: GoldenSet;
  /** Human labels, when given: the report compares the judge with them. */
  labels?: HumanLabel[];
  /** The bench file's folder (the current one without a bench file): where a retriever's own files are resolved. */
  baseDir: string;
  /** The bench file, when the run was given one. */
  benchFile?: string;
  /** Where API keys are read. */
  env: NodeJS.ProcessEnv;
  /** The queries file, checked against the dataset and golden set, when the bench file names one. */
  queries?: QueryFile;
  stages: Record<ConfigRole, ExtractStage>;
  judge: Judge;
  /** Present when a config or the judge calls a model. */
  models?: ModelRuntime;
  out?: string;
  /** The shard of the dataset this run takes, when it takes one. */
  shard?: Shard;
  /** What the user should know before the run starts (a stale built-in price table); none stops it. */
  warnings: string[];
}

function benchFromFlags(options: BenchOptions, cwd: string): { bench: BenchConfig; paths: RunPlan["paths"] } {
  const missing = (["baseline", "candidate", "dataset", "golden"] as const).filter((k) => !options[k]);
  if (missing.length > 0) {
    throw new UsageError(
      `no bench file: pass one (run ${DEFAULT_BENCH_FILE}) or all of ${missing.map((k) => `--${k}`).join(", ")}`,
    );
  }
  const bench = BenchConfigSchema.parse({
    baseline: options.baseline,
    candidate: options.candidate,
    dataset: options.dataset,
    golden: options.golden,
  });
  return { bench, paths: resolveBenchPaths(bench, cwd) };
}

/**
 * Load and validate every input before any work starts: bench file, both extractor configs, the
 * dataset, the golden set, and whatever the extract stages read up front. Throws InputError.
 */
export async function loadPlan(options: BenchOptions): Promise<RunPlan> {
  const cwd = options.cwd ?? process.cwd();
  let benchFile = options.benchFile;
  if (!benchFile && !options.baseline && existsSync(resolve(cwd, DEFAULT_BENCH_FILE))) benchFile = DEFAULT_BENCH_FILE;
  let { bench, paths } = benchFile
    ? (() => {
        const loaded = loadBenchConfig(resolve(cwd, benchFile), isRegisteredProvider);
        return { bench: loaded.config, paths: loaded.paths };
      })()
    : benchFromFlags(options, cwd);
  const override = (value: string | undefined, current: string) => (value ? resolve(cwd, value) : current);
  const loadedLabels = paths.labels;
  const queriesPath = paths.queries;
  paths = {
    baseline: override(options.baseline, paths.baseline),
    candidate: override(options.candidate, paths.candidate),
    dataset: override(options.dataset, paths.dataset),
    golden: override(options.golden, paths.golden),
    output: paths.output,
    cache: paths.cache,
  };
  // The bench file's labels unless --labels overrides them.
  const labels = options.labels ? resolve(cwd, options.labels) : loadedLabels;
  if (labels) paths.labels = labels;
  if (queriesPath) paths.queries = queriesPath;
  if (options.judge) bench = { ...bench, judge: options.judge };
  if (options.batch !== undefined) bench = { ...bench, batch: { ...bench.batch, enabled: options.batch } };

  const env = options.env ?? process.env;
  const configs = {
    baseline: loadExtractorConfig(paths.baseline, isRegisteredProvider),
    candidate: loadExtractorConfig(paths.candidate, isRegisteredProvider),
  };
  // The extractors' and the judge's modules load while the inputs are validated below: their files are read off this thread.
  preloadExtractStage(configs.baseline.config.extractor);
  preloadExtractStage(configs.candidate.config.extractor);
  preloadJudge(bench.judge);
  const shown = (path: string) => displayPath(path, cwd);
  const modelUsers: ModelUser[] = [
    { name: "the baseline config", file: shown(configs.baseline.path), settings: configs.baseline.config.extractor },
    { name: "the candidate config", file: shown(configs.candidate.path), settings: configs.candidate.config.extractor },
    { name: "the judge", ...(benchFile ? { file: shown(resolve(cwd, benchFile)) } : {}), settings: bench.judge },
  ];
  // The simulation's embeddings are model calls like the others: the run's cache, limits, prices and cost limit.
  const retriever = bench.retrieval.enabled ? bench.retrieval.retriever : undefined;
  if (retriever?.kind === "embeddings") {
    const { model, api_key_env, base_url } = retriever;
    const settings = { provider: "openai", model, api_key_env, ...(base_url ? { base_url } : {}) };
    modelUsers.push({
      name: "the embeddings retriever",
      ...(benchFile ? { file: shown(resolve(cwd, benchFile)) } : {}),
      settings,
    });
  }
  const models = await createModels(bench, paths.cache, modelUsers, options, env);
  const conversations = indexConversations(paths.dataset);
  const golden = indexGolden(paths.golden, conversations);
  const context = (role: ConfigRole) => ({
    configPath: configs[role].path,
    config: configs[role].config,
    scope: role,
    env,
    ...(models ? { models } : {}),
  });
  const stages = {
    baseline: await createExtractStage(configs.baseline.config.extractor, context("baseline")),
    candidate: await createExtractStage(configs.candidate.config.extractor, context("candidate")),
  };
  throwIfProblems([
    ...(stages.baseline.check?.(conversations) ?? []),
    ...(stages.candidate.check?.(conversations) ?? []),
  ]);
  const warnings = priceWarnings(
    modelUsers.flatMap((user) => (isModelSettings(user.settings) ? [user.settings.model] : [])),
    bench.pricing,
    options.now ?? new Date(),
  );
  const baseDir = benchFile ? dirname(resolve(cwd, benchFile)) : cwd;
  const plan: RunPlan = {
    bench,
    paths,
    configs,
    conversations,
    golden,
    stages,
    judge: await createJudge(bench.judge, models),
    warnings,
    baseDir,
    env,
  };
  if (models) plan.models = models;
  if (benchFile) plan.benchFile = resolve(cwd, benchFile);
  if (paths.labels) {
    // An empty labels file is a review not started yet (or every label undone): nothing to compare, not bad input.
    if (holdsNothing(paths.labels))
      plan.warnings.push(`${shown(paths.labels)} holds no labels yet: this run has no judge-vs-human agreement`);
    else plan.labels = loadLabels(paths.labels, conversations);
  }
  if (paths.queries && bench.retrieval.enabled)
    plan.queries = loadQueryFile(paths.queries, conversations, paths.golden);
  if (options.out) plan.out = resolve(cwd, options.out);
  if (options.shard) applyShard(plan, options.shard);
  return plan;
}

/** A regular file with nothing but white space in it. */
function holdsNothing(file: string): boolean {
  if (!existsSync(file) || isDirectory(file) || statSync(file).size > 4096) return false;
  return readText(file).trim() === "";
}

/** The cache folder `cache` commands work on: `--dir`, else the bench file's `cache.dir`, else the default. */
export function resolveCacheDir(options: { dir?: string; bench?: string }, cwd: string = process.cwd()): string {
  if (options.dir) return resolve(cwd, options.dir);
  const benchFile = options.bench ?? (existsSync(resolve(cwd, DEFAULT_BENCH_FILE)) ? DEFAULT_BENCH_FILE : undefined);
  if (benchFile) return loadBenchConfig(resolve(cwd, benchFile), isRegisteredProvider).paths.cache;
  return resolve(cwd, CacheSettingsSchema.parse({}).dir);
}
