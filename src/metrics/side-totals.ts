import type { Candidate } from "../schema/candidate.js";
import type { DryRunResult } from "../schema/dry-run.js";
import type { FieldCounts } from "../schema/run-log.js";
import type { CoverageVerdict, UsefulnessVerdict } from "../schema/verdict.js";
import { addFieldCounts, emptyFieldCounts } from "./field-alignment.js";
import { factKey } from "./normalization-suggestions.js";

/** Everything one config contributes to the report, summed over conversations as they settle. */
export interface SideTotals {
  // Over the paired conversations.
  conversations: number;
  turns: number;
  candidates: number;
  useful: number;
  judged: number;
  covered: number;
  golden: number;
  /** Golden memories a candidate states only in part (a model judge's score 1), not counted as covered. */
  partial: number;
  /** Coverage verdicts a model gave: partial coverage is measured only among them. */
  modelCoverageJudged: number;
  /** Confidence value → candidates with it. */
  confidence: Map<number, number>;
  /** Confidence value → judged candidates with it, and how many of them the judge rated useful. */
  calibration: Map<number, { useful: number; count: number }>;
  types: Map<string, number>;
  predicates: Map<string, number>;
  /** Predicate → (subject entity, object) fact key → candidates stating it: for normalization suggestions. */
  facts: Map<string, Map<string, number>>;
  fields: FieldCounts;
  mentions: number;
  fallback: number;
  unresolved: Map<string, number>;
  // Over every dry run logged.
  attempted: number;
  failed: number;
  failedByKind: Map<string, number>;
  judgeErrors: Map<string, number>;
  extractCalls: number;
  jsonFailures: number;
  /** Extract calls whose answer could not be used, by why; what reading the answers repaired and dropped, by reason. */
  answerFailures: Map<string, number>;
  repairs: Map<string, number>;
  dropped: Map<string, number>;
  extracted: number;
  deduped: number;
  prefilteredTurns: number;
  inputTokens: number;
  outputTokens: number;
  byStage: { exact: number; alias: number; fuzzy: number; fallback: number };
  latencies: number[];
}

export function emptySide(): SideTotals {
  return {
    conversations: 0,
    turns: 0,
    candidates: 0,
    useful: 0,
    judged: 0,
    covered: 0,
    golden: 0,
    partial: 0,
    modelCoverageJudged: 0,
    confidence: new Map(),
    calibration: new Map(),
    types: new Map(),
    predicates: new Map(),
    facts: new Map(),
    fields: emptyFieldCounts(),
    mentions: 0,
    fallback: 0,
    unresolved: new Map(),
    attempted: 0,
    failed: 0,
    failedByKind: new Map(),
    judgeErrors: new Map(),
    extractCalls: 0,
    jsonFailures: 0,
    answerFailures: new Map(),
    repairs: new Map(),
    dropped: new Map(),
    extracted: 0,
    deduped: 0,
    prefilteredTurns: 0,
    inputTokens: 0,
    outputTokens: 0,
    byStage: { exact: 0, alias: 0, fuzzy: 0, fallback: 0 },
    latencies: [],
  };
}

export function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Entity mentions of a dry run: every mention, repeats included, whichever stage resolved it. */
export function mentionsOf(result: DryRunResult): number {
  const stages = result.counts.resolved_by_stage;
  return stages.exact + stages.alias + stages.fuzzy + stages.fallback;
}

/** Operating metrics count every dry run a config logged, failed and unpaired ones included. */
export function addOperating(side: SideTotals, result: DryRunResult): void {
  const c = result.counts;
  side.attempted++;
  side.extractCalls += c.extract_calls;
  side.jsonFailures += c.json_failures;
  for (const [reason, n] of Object.entries(c.answer_failures ?? {})) increment(side.answerFailures, reason, n);
  for (const [reason, n] of Object.entries(c.repairs ?? {})) increment(side.repairs, reason, n);
  for (const [reason, n] of Object.entries(c.dropped ?? {})) increment(side.dropped, reason, n);
  side.extracted += c.extracted;
  side.deduped += c.deduped;
  side.prefilteredTurns += c.prefiltered_turns;
  side.inputTokens += result.usage.input_tokens;
  side.outputTokens += result.usage.output_tokens;
  side.byStage.exact += c.resolved_by_stage.exact;
  side.byStage.alias += c.resolved_by_stage.alias;
  side.byStage.fuzzy += c.resolved_by_stage.fuzzy;
  side.byStage.fallback += c.resolved_by_stage.fallback;
  side.latencies.push(result.latency_ms);
}

/** The judge's verdicts on one config's dry run of a conversation (none where the judge failed). */
export interface SideVerdicts {
  usefulness: UsefulnessVerdict[];
  coverage: CoverageVerdict[];
  /** Field-level agreement of the unit with its golden memories, when the coverage record carries it. */
  fields?: FieldCounts | undefined;
}

/** Paired metrics count the conversations where both configs produced a result: add one config's part. */
export function addPairedSide(side: SideTotals, result: DryRunResult, verdicts: SideVerdicts): void {
  const { usefulness, coverage } = verdicts;
  side.conversations++;
  side.turns += result.counts.turns;
  side.candidates += result.candidates.length;
  side.useful += usefulness.filter((v) => v.useful).length;
  side.judged += usefulness.length;
  side.covered += coverage.filter((v) => v.covered).length;
  side.golden += coverage.length;
  side.partial += coverage.filter((v) => v.partial && !v.covered).length;
  side.modelCoverageJudged += coverage.filter((v) => v.method === "llm").length;
  side.mentions += mentionsOf(result);
  side.fallback += result.counts.resolved_by_stage.fallback;
  for (const candidate of result.candidates) addCandidate(side, candidate);
  for (const verdict of usefulness) {
    const candidate = result.candidates[verdict.candidate_index];
    if (!candidate) continue;
    const entry = side.calibration.get(candidate.confidence) ?? { useful: 0, count: 0 };
    entry.count++;
    if (verdict.useful) entry.useful++;
    side.calibration.set(candidate.confidence, entry);
  }
  if (verdicts.fields) addFieldCounts(side.fields, verdicts.fields);
}

function addCandidate(side: SideTotals, candidate: Candidate): void {
  increment(side.confidence, candidate.confidence);
  increment(side.types, candidate.type);
  increment(side.predicates, candidate.predicate);
  let facts = side.facts.get(candidate.predicate);
  if (!facts) side.facts.set(candidate.predicate, (facts = new Map()));
  increment(facts, factKey(candidate));
  for (const entity of candidate.entities) if (entity.stage === "fallback") increment(side.unresolved, entity.mention);
}
