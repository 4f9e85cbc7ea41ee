import { rememberDry } from "../../src/extract/remember-dry.js";
import type { ExtractStage } from "../../src/extract/extract-stage.js";
import { createHeuristicJudge } from "../../src/judge/heuristic/heuristic-judge.js";
import type { Judge } from "../../src/judge/judge.js";
import { selectJunkSample } from "../../src/metrics/junk-sample.js";
import { groupBy } from "../../src/metrics/numbers.js";
import { indexRunLog } from "../../src/run/run-fold.js";
import { buildReport } from "../../src/report/build-report.js";
import { BenchConfigSchema, HeuristicJudgeSchema, type BenchConfig } from "../../src/schema/bench-config.js";
import { RawCandidateSchema, type RawCandidateInput } from "../../src/schema/candidate.js";
import type { DryRunResult } from "../../src/schema/dry-run.js";
import { ExtractorConfigSchema, type ExtractorConfig } from "../../src/schema/extractor-config.js";
import type { BenchReport } from "../../src/schema/report.js";
import { CONFIG_ROLES, type ConfigRole } from "../../src/schema/run-log.js";
import { logUpgrade, type LoggedRecord } from "../../src/run/log-upgrade.js";
import type { World } from "./synthetic-world.js";

/** A replay-like extract stage serving candidates from memory. */
export function memoryStage(candidates: Map<string, RawCandidateInput[]>): ExtractStage {
  return {
    async extract({ conversation }) {
      const raw = candidates.get(conversation.id) ?? [];
      return {
        candidates: raw.map((c) => RawCandidateSchema.parse(c)),
        calls: 1,
        jsonFailures: 0,
        usage: { input_tokens: 0, output_tokens: 0 },
      };
    },
  };
}

export function replayConfig(name: string, schemaVersion: number): ExtractorConfig {
  return ExtractorConfigSchema.parse({
    name,
    extractor: { provider: "replay", schema_version: schemaVersion, path: `${name}.jsonl` },
  });
}

export interface InMemoryOptions {
  seed: number;
  /** A paid judge is sampled for junk; the heuristic judge is free and judges every candidate. */
  sampledJunk?: number;
  bench?: Partial<BenchConfig>;
}

/**
 * The bench's run, in memory: rememberDry of both sides, the heuristic judge, the paired junk sample,
 * the run-log records, and the report derived from them, as `run` derives it from run.jsonl.
 */
export async function benchInMemory(
  world: World,
  sides: Record<ConfigRole, Map<string, RawCandidateInput[]>>,
  options: InMemoryOptions,
): Promise<BenchReport> {
  const bench = BenchConfigSchema.parse({
    baseline: "baseline.yaml",
    candidate: "candidate.yaml",
    dataset: "dataset.jsonl",
    golden: "golden.jsonl",
    seed: options.seed,
    junk_sample_size: options.sampledJunk ?? 100,
    ...options.bench,
  });
  const configs = { baseline: replayConfig("baseline", 1), candidate: replayConfig("candidate", 2) };
  const heuristic = createHeuristicJudge(HeuristicJudgeSchema.parse({ provider: "heuristic" }));
  const judge: Judge = options.sampledJunk === undefined ? heuristic : { ...heuristic, free: false };
  // A format 2 log (the dataset and golden set in run_start), read as the bench reads one: upgraded.
  const records: LoggedRecord[] = [
    {
      kind: "run_start",
      format_version: 2,
      run_id: `scenario-${options.seed}`,
      started_at: "2026-01-01T00:00:00.000Z",
      tool_version: "test",
      bench,
      configs: {
        baseline: { path: "baseline.yaml", config: configs.baseline },
        candidate: { path: "candidate.yaml", config: configs.candidate },
      },
      dataset: {
        path: "dataset.jsonl",
        conversations: world.conversations.map((c) => ({
          id: c.id,
          namespace: c.scope.namespace,
          turns: c.turns.length,
        })),
      },
      golden: { path: "golden.jsonl", memories: world.golden },
      judge: { id: judge.id, kind: judge.kind, description: judge.description },
    },
  ];
  const goldenOf = groupBy(world.golden, (memory) => memory.conversation_id);
  const results: Record<ConfigRole, Map<string, DryRunResult>> = { baseline: new Map(), candidate: new Map() };
  for (const role of CONFIG_ROLES) {
    const stage = memoryStage(sides[role]);
    for (const conversation of world.conversations) {
      const result = await rememberDry(conversation, configs[role], stage);
      results[role].set(conversation.id, result);
      records.push({ kind: "dry_run", role, conversation_id: conversation.id, result });
      const input = { conversation, golden: goldenOf.get(conversation.id) ?? [], candidates: result.candidates };
      const base = { kind: "judgement" as const, role, conversation_id: conversation.id, judge: judge.id };
      records.push({ ...base, task: "coverage", items: await judge.coverage(input), missed_evidence: {} });
      records.push({ ...base, task: "usefulness", items: await judge.usefulness(input) });
    }
  }
  const paired = world.conversations
    .map((c) => c.id)
    .filter((id) => CONFIG_ROLES.every((role) => !results[role].get(id)?.error));
  const sample = selectJunkSample(paired, results, bench.junk_sample_size, bench.seed, judge.free === true);
  for (const conversation of world.conversations) {
    const drawn = sample.get(conversation.id);
    if (!drawn) continue;
    for (const role of CONFIG_ROLES) {
      const input = { conversation, golden: [], candidates: results[role].get(conversation.id)!.candidates };
      records.push({
        kind: "judgement",
        task: "junk",
        role,
        conversation_id: conversation.id,
        judge: judge.id,
        items: await judge.junk(input, drawn[role]),
      });
    }
  }
  records.push({ kind: "run_end", finished_at: "2026-01-01T00:01:00.000Z", duration_ms: 60_000 });
  const upgrade = logUpgrade(records[0]!);
  return buildReport(indexRunLog(records.map((record) => upgrade.record(record))));
}
