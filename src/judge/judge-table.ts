import type { HeuristicJudgeConfig, LlmJudgeConfig } from "../schema/bench-config.js";
import type { JudgeInfo } from "../schema/run-log.js";
import type { ModelRuntime } from "../providers/model-runtime.js";
import type { Judge } from "./judge.js";

/** What gives the verdicts: `heuristic` (rules, free, deterministic) or `llm` (a model). */
export type JudgeKind = JudgeInfo["kind"];

/** The judge config each kind is built from. */
interface JudgeConfigs {
  heuristic: HeuristicJudgeConfig;
  llm: LlmJudgeConfig;
}

/**
 * What the bench knows of one kind of judge. Reports read `callsModel` and `title`; `create`
 * builds the judge, its module loaded on first use.
 */
export interface JudgeDefinition<K extends JudgeKind = JudgeKind> {
  /** Its verdicts come from a model: reports name it by its id and show its calls, noise and pairwise answers. */
  callsModel: boolean;
  /** How reports name a judge of this kind that is not a model: "heuristic judge". */
  title: string;
  /** Loads its module (on first use; a run loads it early, while its inputs are validated). */
  load: () => Promise<unknown>;
  /** Builds the judge; a kind that calls a model gets the run's model runtime. */
  create: (config: JudgeConfigs[K], models?: ModelRuntime) => Promise<Judge>;
}

const heuristicModule = () => import("./heuristic/heuristic-judge.js");
const llmModule = () => import("./llm/llm-judge.js");

/** One row per kind: the mapped type makes a kind the run log can record without a row a type error. */
export const JUDGES: { [K in JudgeKind]: JudgeDefinition<K> } = {
  heuristic: {
    callsModel: false,
    title: "heuristic judge",
    load: heuristicModule,
    create: async (config) => (await heuristicModule()).createHeuristicJudge(config),
  },
  llm: {
    callsModel: true,
    title: "LLM judge",
    load: llmModule,
    create: async (config, models) => {
      if (!models) throw new Error("an LLM judge needs a model runtime");
      const { createLlmJudge } = await llmModule();
      return createLlmJudge(config, await models.client("judge", config));
    },
  },
};

/** Whether a judge of this kind gives its verdicts through a model. */
export function judgeCallsModel(kind: JudgeKind): boolean {
  return JUDGES[kind].callsModel;
}

/** How a report names the judge: a model judge by its id, another by its kind's title with the medium's note that it is not an LLM. */
export function judgeName(judge: Pick<JudgeInfo, "kind" | "id">, notLlm: (title: string) => string): string {
  return judgeCallsModel(judge.kind) ? judge.id : notLlm(JUDGES[judge.kind].title);
}
