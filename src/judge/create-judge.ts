import type { BenchConfig, HeuristicJudgeConfig } from "../schema/bench-config.js";
import { HeuristicJudgeSchema } from "../schema/bench-config.js";
import type { Judge } from "./judge.js";

export function normalizeJudgeConfig(judge: BenchConfig["judge"]): HeuristicJudgeConfig {
  return judge === "heuristic" ? HeuristicJudgeSchema.parse({ provider: "heuristic" }) : judge;
}

/** Judges by provider, loaded on first use. */
export async function createJudge(judge: BenchConfig["judge"]): Promise<Judge> {
  const config = normalizeJudgeConfig(judge);
  const { createHeuristicJudge } = await import("./heuristic/heuristic-judge.js");
  return createHeuristicJudge(config);
}
