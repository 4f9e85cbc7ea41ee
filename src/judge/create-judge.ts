import type { BenchConfig, HeuristicJudgeConfig, LlmJudgeConfig } from "../schema/bench-config.js";
import { HeuristicJudgeSchema } from "../schema/bench-config.js";
import type { ModelRuntime } from "../providers/model-runtime.js";
import type { Judge } from "./judge.js";
import { JUDGES, type JudgeKind } from "./judge-table.js";

export function normalizeJudgeConfig(judge: BenchConfig["judge"]): HeuristicJudgeConfig | LlmJudgeConfig {
  return judge === "heuristic" ? HeuristicJudgeSchema.parse({ provider: "heuristic" }) : judge;
}

/** The judge a bench config names, built by its kind's row of the judge table; an LLM judge calls through the run's model runtime. */
export async function createJudge(judge: BenchConfig["judge"], models?: ModelRuntime): Promise<Judge> {
  const config = normalizeJudgeConfig(judge);
  return config.provider === "heuristic" ? JUDGES.heuristic.create(config) : JUDGES.llm.create(config, models);
}

/** The row of the judge table a bench config's judge is built by. */
function kindOf(judge: BenchConfig["judge"]): JudgeKind {
  return normalizeJudgeConfig(judge).provider === "heuristic" ? "heuristic" : "llm";
}

/**
 * Start loading the module of the judge a bench config names, without waiting: a run does so before
 * it validates its inputs, so the module's files are read while that work goes on. A module that
 * cannot load fails createJudge, as without this.
 */
export function preloadJudge(judge: BenchConfig["judge"]): void {
  JUDGES[kindOf(judge)].load().catch(() => undefined);
}
