import type { BenchConfig, HeuristicJudgeConfig, LlmJudgeConfig } from "../schema/bench-config.js";
import { HeuristicJudgeSchema } from "../schema/bench-config.js";
import type { ModelRuntime } from "../providers/model-runtime.js";
import type { Judge } from "./judge.js";

export function normalizeJudgeConfig(judge: BenchConfig["judge"]): HeuristicJudgeConfig | LlmJudgeConfig {
  return judge === "heuristic" ? HeuristicJudgeSchema.parse({ provider: "heuristic" }) : judge;
}

/** Judges by provider, loaded on first use; an LLM judge makes its calls through the run's model runtime. */
export async function createJudge(judge: BenchConfig["judge"], models?: ModelRuntime): Promise<Judge> {
  const config = normalizeJudgeConfig(judge);
  if (config.provider === "heuristic") {
    const { createHeuristicJudge } = await import("./heuristic/heuristic-judge.js");
    return createHeuristicJudge(config);
  }
  if (!models) throw new Error("an LLM judge needs a model runtime");
  const { createLlmJudge } = await import("./llm/llm-judge.js");
  return createLlmJudge(config, await models.client("judge", config));
}
