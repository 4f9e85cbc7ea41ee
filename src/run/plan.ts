import { existsSync } from "node:fs";
import { relative, resolve, isAbsolute } from "node:path";
import { throwIfProblems, UsageError } from "../errors.js";
import { createExtractStage } from "../extract/extractors/registry.js";
import type { ExtractStage } from "../extract/extract-stage.js";
import { createJudge } from "../judge/create-judge.js";
import type { Judge } from "../judge/judge.js";
import { loadBenchConfig, loadExtractorConfig, resolveBenchPaths, type LoadedExtractorConfig } from "../load/load-config.js";
import { loadConversations, loadGolden, loadLabels } from "../load/load-inputs.js";
import { BenchConfigSchema, type BenchConfig } from "../schema/bench-config.js";
import type { Conversation } from "../schema/conversation.js";
import type { HumanLabel } from "../schema/curation.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { ConfigRole } from "../schema/run-log.js";

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
  /** Resume the interrupted run in this folder: redo only what its log lacks. */
  resume?: string;
  /** With `resume`: redo the units recorded as failed too. */
  retryErrors?: boolean;
  /** Stop taking new work when aborted (Ctrl-C); what finished is kept and the run can be resumed. */
  signal?: AbortSignal;
}

export interface RunPlan {
  bench: BenchConfig;
  paths: { baseline: string; candidate: string; dataset: string; golden: string; output: string; labels?: string };
  configs: Record<ConfigRole, LoadedExtractorConfig>;
  conversations: Conversation[];
  golden: GoldenMemory[];
  /** Human labels, when given: the report compares the judge with them. */
  labels?: HumanLabel[];
  stages: Record<ConfigRole, ExtractStage>;
  judge: Judge;
  out?: string;
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
        const loaded = loadBenchConfig(resolve(cwd, benchFile));
        return { bench: loaded.config, paths: loaded.paths };
      })()
    : benchFromFlags(options, cwd);
  const override = (value: string | undefined, current: string) => (value ? resolve(cwd, value) : current);
  paths = {
    baseline: override(options.baseline, paths.baseline),
    candidate: override(options.candidate, paths.candidate),
    dataset: override(options.dataset, paths.dataset),
    golden: override(options.golden, paths.golden),
    output: paths.output,
  };
  const labels = options.labels ? resolve(cwd, options.labels) : paths.labels;
  if (labels) paths.labels = labels;
  if (options.judge) bench = { ...bench, judge: options.judge };

  const configs = { baseline: loadExtractorConfig(paths.baseline), candidate: loadExtractorConfig(paths.candidate) };
  const conversations = loadConversations(paths.dataset);
  const golden = loadGolden(paths.golden, conversations);
  const stages = {
    baseline: await createExtractStage(configs.baseline.config.extractor, { configPath: configs.baseline.path, config: configs.baseline.config }),
    candidate: await createExtractStage(configs.candidate.config.extractor, { configPath: configs.candidate.path, config: configs.candidate.config }),
  };
  throwIfProblems([...(stages.baseline.check?.(conversations) ?? []), ...(stages.candidate.check?.(conversations) ?? [])]);
  const plan: RunPlan = { bench, paths, configs, conversations, golden, stages, judge: await createJudge(bench.judge) };
  if (paths.labels) plan.labels = loadLabels(paths.labels, conversations);
  if (options.out) plan.out = resolve(cwd, options.out);
  return plan;
}

/** A path as reports show it: relative to the working folder when inside it, so reports do not leak home paths. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
