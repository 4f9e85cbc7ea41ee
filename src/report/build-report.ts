import { computeAgreement, judgedCandidates } from "../metrics/agreement.js";
import { plannedConversations } from "../metrics/completeness.js";
import { computeMetrics } from "../metrics/compute-metrics.js";
import { computeJudgeNoise, summarizeModelUsage, summarizePairwise } from "../metrics/model-metrics.js";
import { reextractionFromRun } from "../metrics/reextraction-cost.js";
import type { RunData } from "../metrics/run-data.js";
import { evaluateGate } from "../recommend/gate.js";
import { summarizeRetrieval } from "../retrieval/summarize.js";
import { DEFAULT_RETRIEVAL_MARGIN, retrievalVerdict, withRetrievalEvidence } from "../recommend/retrieval-evidence.js";
import { recommend } from "../recommend/recommend.js";
import type { Thresholds } from "../schema/bench-config.js";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import { FORMAT_VERSION } from "../schema/run-log.js";
import type { BenchReport } from "../schema/report.js";

function configFacts(path: string, config: ExtractorConfig) {
  return {
    name: config.name,
    path,
    provider: config.extractor.provider,
    model: config.extractor.model ?? config.extractor.provider,
    schema_version: config.extractor.schema_version,
  };
}

/** The whole report, derived from the run log alone. Pure: same log, same report. */
export function buildReport(run: RunData, thresholds: Thresholds = run.start.bench.thresholds): BenchReport {
  const { start } = run;
  const section = computeMetrics(run, thresholds);
  const retrieval = summarizeRetrieval(run.retrieval ?? [], start.bench);
  const reextraction = reextractionFromRun(run);
  const recommendation = recommend({
    baseline: start.configs.baseline.config,
    candidate: start.configs.candidate.config,
    metrics: section.metrics,
    completeness: section.completeness,
    minPairedConversations: start.bench.min_paired_conversations,
    vocabulary: section.vocabulary,
    types: section.types,
    pairing: section.pairing,
    calibration: section.calibration,
    flags: section.flags,
  });
  return {
    format_version: FORMAT_VERSION,
    run: {
      run_id: start.run_id,
      started_at: start.started_at,
      finished_at: run.end?.finished_at ?? null,
      duration_ms: run.end?.duration_ms ?? null,
      complete: run.end !== undefined,
      tool_version: start.tool_version,
      seed: start.bench.seed,
      junk_sample_size: start.bench.junk_sample_size,
      top_k_predicates: start.bench.top_k_predicates,
      bootstrap_resamples: start.bench.bootstrap_resamples,
      configs: {
        baseline: configFacts(start.configs.baseline.path, start.configs.baseline.config),
        candidate: configFacts(start.configs.candidate.path, start.configs.candidate.config),
      },
      dataset: {
        path: start.dataset.path,
        conversations: plannedConversations(start),
        turns: start.dataset.turns,
      },
      golden: { path: start.golden.path, memories: start.golden.memories },
      phases: run.end?.phases ?? [],
    },
    judge: start.judge,
    ...section,
    recommendation: retrieval
      ? withRetrievalEvidence(
          recommendation,
          retrievalVerdict(
            retrieval,
            recommendation,
            reextraction,
            thresholds.max_coexist_retrieval_loss ?? DEFAULT_RETRIEVAL_MARGIN,
          ),
          section.vocabulary,
        )
      : recommendation,
    gate: evaluateGate({ ...section, retrieval }, thresholds),
    judge_noise: computeJudgeNoise(run),
    pairwise: summarizePairwise(run),
    model_usage: summarizeModelUsage(run),
    reextraction,
    ...(start.labels
      ? { agreement: computeAgreement(start.labels.items, judgedCandidates(run), (id) => run.table.has(id)) }
      : {}),
    ...(retrieval ? { retrieval } : {}),
  };
}
