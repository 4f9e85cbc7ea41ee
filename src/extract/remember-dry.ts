import type { Candidate, ExtractorInfo, RawCandidate } from "../schema/candidate.js";
import type { Conversation } from "../schema/conversation.js";
import type { DryRunResult, StageCounts } from "../schema/dry-run.js";
import type { ExtractorConfig } from "../schema/extractor-config.js";
import { dedupeCandidates } from "./dedupe.js";
import type { ExtractStage } from "./extract-stage.js";
import { normalizePredicate, predicateMap, scaleConfidence } from "./normalize.js";
import { prefilterEnabled, prefilterTurns } from "./prefilter.js";
import { EntityTable } from "./resolve-refs.js";
import { modelVersionHash } from "./uuid-v5.js";

export function extractorInfo(config: ExtractorConfig): ExtractorInfo {
  const model = config.extractor.model ?? config.extractor.provider;
  return {
    provider: config.extractor.provider,
    model,
    model_version_hash: modelVersionHash(model),
    extractor_schema_version: config.extractor.schema_version,
  };
}

function candidateText(raw: RawCandidate): string {
  if (raw.text && raw.text.trim() !== "") return raw.text.trim();
  return `${raw.subject} ${raw.predicate} ${raw.object}`.trim();
}

/**
 * Run every stage of the write pipeline on one conversation and persist nothing:
 * pre-filter → extract → resolve_refs → dedupe, with predicate normalization (the raw form kept)
 * applied before dedupe so equivalent predicates collapse, and confidence scaling last.
 */
export async function rememberDry(
  conversation: Conversation,
  config: ExtractorConfig,
  stage: ExtractStage,
): Promise<DryRunResult> {
  const started = performance.now();
  const prefiltered = prefilterTurns(conversation.turns, config.prefilter, prefilterEnabled(config));
  const extracted = await stage.extract({ conversation, turns: prefiltered.kept });

  const info = extractorInfo(config);
  const predicates = predicateMap(config.predicate_normalization);
  const entities = new EntityTable(conversation.entities);
  const resolvedByStage: StageCounts["resolved_by_stage"] = { exact: 0, alias: 0, fuzzy: 0, fallback: 0 };

  const resolved: Candidate[] = extracted.candidates.map((raw) => {
    const mentions = raw.entities ?? [raw.subject];
    const resolvedEntities = mentions.map((mention) => entities.resolve(mention));
    for (const entity of resolvedEntities) resolvedByStage[entity.stage]++;
    return {
      text: candidateText(raw),
      type: raw.type,
      subject: raw.subject,
      predicate: normalizePredicate(raw.predicate, predicates),
      raw_predicate: raw.predicate,
      object: raw.object,
      confidence: raw.confidence,
      evidence: raw.evidence,
      entities: resolvedEntities,
      schema_version: config.extractor.schema_version,
      extractor: info,
    };
  });

  const deduped = dedupeCandidates(resolved, config.dedupe);
  const candidates = deduped.kept.map((c) => ({
    ...c,
    confidence: scaleConfidence(c.confidence, config.confidence_scaling),
  }));

  const result: DryRunResult = {
    conversation_id: conversation.id,
    candidates,
    counts: {
      turns: conversation.turns.length,
      prefiltered_turns: prefiltered.dropped,
      extract_calls: extracted.calls,
      extracted: extracted.candidates.length,
      json_failures: extracted.jsonFailures,
      resolved_by_stage: resolvedByStage,
      deduped: deduped.collapsed,
      ...(extracted.answerFailures ? { answer_failures: extracted.answerFailures } : {}),
      ...(extracted.repairs ? { repairs: extracted.repairs } : {}),
      ...(extracted.dropped ? { dropped: extracted.dropped } : {}),
    },
    usage: extracted.usage,
    latency_ms: Math.round((performance.now() - started) * 100) / 100,
  };
  if (extracted.error) result.error = extracted.error;
  else if (extracted.calls > 0 && extracted.jsonFailures >= extracted.calls) {
    // Nothing was extracted because no answer parsed: a failed unit, not a conversation with no memories.
    result.error = {
      kind: "invalid_json",
      message: `all ${extracted.calls} extract call(s) answered invalid JSON, after one retry each`,
    };
  }
  if (extracted.stderr) result.stderr = extracted.stderr;
  return result;
}
