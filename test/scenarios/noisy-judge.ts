import { rememberDry } from "../../src/extract/remember-dry.js";
import { createHeuristicJudge } from "../../src/judge/heuristic/heuristic-judge.js";
import type { Judge, JudgeInput } from "../../src/judge/judge.js";
import {
  firstJunkRoundSize,
  junkSampleOrder,
  nextJunkSampleSizeOf,
  selectJunkSample,
} from "../../src/metrics/junk-sample.js";
import { selectNoiseSample } from "../../src/metrics/noise-sample.js";
import { groupBy } from "../../src/metrics/numbers.js";
import { createRng, deriveSeed } from "../../src/metrics/random.js";
import { RunFold } from "../../src/run/run-fold.js";
import { buildReport } from "../../src/report/build-report.js";
import { BenchConfigSchema, HeuristicJudgeSchema, type BenchConfig } from "../../src/schema/bench-config.js";
import type { RawCandidateInput } from "../../src/schema/candidate.js";
import type { DryRunResult } from "../../src/schema/dry-run.js";
import type { BenchReport } from "../../src/schema/report.js";
import {
  CONFIG_ROLES,
  FORMAT_VERSION,
  type ConfigRole,
  type JudgementRecord,
  type RunLogRecord,
} from "../../src/schema/run-log.js";
import type { CoverageVerdict, JunkVerdict, UsefulnessVerdict } from "../../src/schema/verdict.js";
import { memoryStage, replayConfig } from "./bench-in-memory.js";
import type { World } from "./synthetic-world.js";

/**
 * A simulated LLM judge with a known flip rate: it knows the truth (the heuristic judge's verdicts on
 * the synthetic world, which holds them by construction) and flips each verdict, independently, with
 * probability `flipRate`, every time it is asked (a repeat included, as a judge sampled again would).
 * Every coverage verdict is its model's (method "llm"). The run goes as `run` does with a paid judge:
 * a seeded share of conversations judged twice, junk on a seeded sample that grows while the junk check
 * is inconclusive, and the report derived from the log.
 */
export interface NoisyJudgeOptions {
  seed: number;
  flipRate: number;
  /** Share of conversations judged twice (the judge's `repeat_share`). */
  repeatShare?: number;
  /** The junk sample's first size and its most (`junk_sample_size`, `junk_sample_max`). */
  junkSampleSize?: number;
  junkSampleMax?: number;
  bench?: Partial<BenchConfig>;
}

function noisy(truth: Judge, flipRate: number, rng: () => number): Pick<Judge, "coverage" | "usefulness" | "junk"> {
  const flip = () => rng() < flipRate;
  return {
    async usefulness(input: JudgeInput) {
      return (await truth.usefulness(input)).map((v): UsefulnessVerdict => {
        if (!flip()) return v;
        return v.useful
          ? { ...v, rating: 2, useful: false, reason: "flipped" }
          : { ...v, rating: 4, useful: true, reason: "flipped" };
      });
    },
    async coverage(input: JudgeInput) {
      return (await truth.coverage(input)).map((v): CoverageVerdict => {
        const covered = flip() ? !v.covered : v.covered;
        const indexes = covered ? (v.covered ? v.candidate_indexes : input.candidates.length > 0 ? [0] : []) : [];
        return {
          ...v,
          covered: covered && indexes.length > 0,
          candidate_indexes: covered ? indexes : [],
          score: covered ? 1 : 0,
          method: "llm",
        };
      });
    },
    async junk(input: JudgeInput, indexes: number[]) {
      return (await truth.junk(input, indexes)).map((v): JunkVerdict => {
        if (!flip()) return v;
        return v.junk
          ? { ...v, junk: false, category: null, reason: "flipped" }
          : { ...v, junk: true, category: "other", reason: "flipped" };
      });
    },
  };
}

export async function benchWithNoisyJudge(
  world: World,
  sides: Record<ConfigRole, Map<string, RawCandidateInput[]>>,
  options: NoisyJudgeOptions,
): Promise<BenchReport> {
  const bench = BenchConfigSchema.parse({
    baseline: "baseline.yaml",
    candidate: "candidate.yaml",
    dataset: "dataset.jsonl",
    golden: "golden.jsonl",
    seed: options.seed,
    judge: { provider: "openai", model: "simulated-judge", repeat_share: options.repeatShare ?? 0.3 },
    junk_sample_size: options.junkSampleSize ?? 100,
    junk_sample_max: options.junkSampleMax ?? 1000,
    ...options.bench,
  });
  const configs = { baseline: replayConfig("baseline", 1), candidate: replayConfig("candidate", 2) };
  const truth = createHeuristicJudge(HeuristicJudgeSchema.parse({ provider: "heuristic" }));
  const judge = noisy(truth, options.flipRate, createRng(deriveSeed(options.seed, "simulated-judge")));
  const fold = new RunFold();
  fold.add({
    kind: "run_start",
    format_version: FORMAT_VERSION,
    run_id: `noisy-${options.seed}`,
    started_at: "2026-01-01T00:00:00.000Z",
    tool_version: "test",
    bench,
    configs: {
      baseline: { path: "baseline.yaml", config: configs.baseline },
      candidate: { path: "candidate.yaml", config: configs.candidate },
    },
    dataset: {
      path: "dataset.jsonl",
      conversations: world.conversations.length,
      turns: world.conversations.reduce((sum, c) => sum + c.turns.length, 0),
    },
    golden: { path: "golden.jsonl", memories: world.golden.length },
    judge: {
      id: "openai:simulated-judge",
      kind: "llm",
      description: `simulated judge flipping ${options.flipRate} of its verdicts`,
    },
  });
  const add = (record: RunLogRecord) => fold.add(record);
  const goldenOf = groupBy(world.golden, (memory) => memory.conversation_id);
  const noise = selectNoiseSample(
    world.conversations.map((c) => c.id),
    bench.judge === "heuristic" || !("repeat_share" in bench.judge) ? 0 : bench.judge.repeat_share,
    bench.seed,
  );
  const results: Record<ConfigRole, Map<string, DryRunResult>> = { baseline: new Map(), candidate: new Map() };
  const base = (role: ConfigRole, id: string, repeat?: number) => ({
    kind: "judgement" as const,
    role,
    conversation_id: id,
    judge: "openai:simulated-judge",
    ...(repeat ? { repeat } : {}),
  });
  for (const [position, conversation] of world.conversations.entries()) {
    for (const role of CONFIG_ROLES) {
      const result = await rememberDry(conversation, configs[role], memoryStage(sides[role]));
      results[role].set(conversation.id, result);
      const golden = goldenOf.get(conversation.id) ?? [];
      add({ kind: "dry_run", role, conversation_id: conversation.id, position, golden: golden.length, result });
      const input = { conversation, golden, candidates: result.candidates };
      for (const repeat of noise.has(conversation.id) ? [0, 1] : [0]) {
        add({
          ...base(role, conversation.id, repeat),
          task: "coverage",
          items: await judge.coverage(input),
          missed_evidence: {},
        } as JudgementRecord);
        add({
          ...base(role, conversation.id, repeat),
          task: "usefulness",
          items: await judge.usefulness(input),
        } as JudgementRecord);
      }
    }
  }
  const paired = world.conversations
    .map((c) => c.id)
    .filter((id) => CONFIG_ROLES.every((role) => !results[role].get(id)?.error));
  const byId = new Map(world.conversations.map((c) => [c.id, c]));
  // Junk in rounds, as a run with a paid judge draws it: the first round's size, then as nextJunkSampleSizeOf says.
  let size = firstJunkRoundSize(junkSampleOrder(paired, bench.seed), results, bench);
  const judged = new Set<string>();
  for (;;) {
    const sample = selectJunkSample(paired, results, size, bench.seed, false);
    for (const id of paired) {
      const drawn = sample.get(id);
      if (!drawn || judged.has(id)) continue;
      judged.add(id);
      for (const role of CONFIG_ROLES) {
        const input = { conversation: byId.get(id)!, golden: [], candidates: results[role].get(id)!.candidates };
        for (const repeat of noise.has(id) ? [0, 1] : [0])
          add({
            ...base(role, id, repeat),
            task: "junk",
            items: await judge.junk(input, drawn[role]),
          } as JudgementRecord);
      }
    }
    const next = nextJunkSampleSizeOf(fold, bench, { size, exhausted: judged.size === paired.length });
    if (next === undefined) break;
    size = next;
  }
  add({ kind: "run_end", finished_at: "2026-01-01T00:01:00.000Z", duration_ms: 60_000 });
  return buildReport(fold.finish());
}
