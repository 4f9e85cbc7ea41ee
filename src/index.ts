/** extractor-bench as a library: the CLI is a thin shell over these. */
export { runBench, renderRun, type RunOutcome, type Progress } from "./run/run-bench.js";
export { loadPlan, type BenchOptions, type RunPlan } from "./run/plan.js";
export { dryRunOne, type DryOptions } from "./run/dry-one.js";
export { mergeRuns } from "./run/merge-runs.js";
export { parseShard, shardOfConversation, shardOfEntry } from "./run/shard.js";
export { gateRun, type GateOutcome } from "./run/gate-run.js";
export { readRunLog } from "./run/run-log.js";
export { rememberDry, extractorInfo } from "./extract/remember-dry.js";
export { createExtractStage, type RegisteredModelExtractor } from "./extract/extractors/registry.js";
export type { ExtractStage, ExtractInput, ExtractOutput } from "./extract/extract-stage.js";
export { createJudge } from "./judge/create-judge.js";
export type { Judge, JudgeInput } from "./judge/judge.js";
export { JUDGES, type JudgeDefinition, type JudgeKind } from "./judge/judge-table.js";
export { registerProvider, knownProviders, type ProviderDefinition } from "./providers/registry.js";
export { PROVIDERS, type BuiltInProvider } from "./providers/provider-table.js";
export {
  ProviderError,
  type Provider,
  type ProviderFactory,
  type ProviderOptions,
  type CompletionRequest,
  type Completion,
} from "./providers/provider.js";
export { scriptModel, type ScriptedAnswer } from "./providers/scripted-provider.js";
export { ModelRuntime, type ModelRuntimeOptions } from "./providers/model-runtime.js";
export { indexRunLog } from "./run/run-fold.js";
export { computeMetrics } from "./metrics/compute-metrics.js";
export { recommend } from "./recommend/recommend.js";
export { evaluateGate } from "./recommend/gate.js";
export { buildReport } from "./report/build-report.js";
export { renderMarkdown } from "./report/render-markdown.js";
export { renderSummary } from "./report/render-summary.js";
export { renderHtml } from "./report/html/render-html.js";
export { renderJunit } from "./report/render-junit.js";
export { compareReports, renderComparison, type Comparison } from "./report/render-compare.js";
export { importGoldenSet, type ImportOptions, type ImportOutcome } from "./golden/import.js";
export { proposeMemories, type ProposeOptions, type ProposeOutcome } from "./golden/propose.js";
export {
  validateGoldenSet,
  validationFailed,
  type ValidateOptions,
  type ValidationOutcome,
} from "./golden/validate.js";
export type { CurationRule, CurationWarning } from "./golden/check-golden.js";
export { computeGoldenStats, type GoldenStats } from "./golden/stats.js";
export { computeAgreement, labelKey } from "./metrics/agreement.js";
export { InputError, UsageError, RunError, formatProblem, type Problem } from "./errors.js";
export * from "./schema/index.js";
