import type { BenchConfig, HeuristicJudgeConfig, LlmJudgeConfig } from "../schema/bench-config.js";
import { HeuristicJudgeSchema } from "../schema/bench-config.js";
import type { ModelRuntime } from "../providers/model-runtime.js";
import type { Judge } from "./judge.js";
import { JUDGES } from "./judge-table.js";

export function normalizeJudgeConfig(judge: BenchConfig["judge"]): HeuristicJudgeConfig | LlmJudgeConfig {
  return judge === "heuristic" ? HeuristicJudgeSchema.parse({ provider: "heuristic" }) : judge;
}

/** The judge a bench config names, built by its kind's row of the judge table; an LLM judge calls through the run's model runtime. */
export async function createJudge(judge: BenchConfig["judge"], models?: ModelRuntime): Promise<Judge> {
  const config = normalizeJudgeConfig(judge);
  return config.provider === "heuristic" ? JUDGES.heuristic.create(config) : JUDGES.llm.create(config, models);
}
