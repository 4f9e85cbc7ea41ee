import { describe, expect, it } from "vitest";
import {
  JUDGES,
  PROVIDERS,
  type BuiltInProvider,
  type JudgeDefinition,
  type JudgeKind,
  type ProviderDefinition,
} from "../../src/index.js";
import { createScriptedProvider } from "../../src/providers/scripted-provider.js";
import { judgeName } from "../../src/judge/judge-table.js";
import { callsPaidModel, requestTemperature } from "../../src/providers/registry.js";
import { ModelProviderSchema } from "../../src/schema/model-settings.js";

const load = async () => createScriptedProvider;

describe("the provider table", () => {
  it("is a type error without a row for a provider a config can name", () => {
    // @ts-expect-error: no openai row. `npm run typecheck` fails if a forgotten row ever stops being an error.
    const incomplete = { anthropic: { load }, scripted: { load } } satisfies Record<
      BuiltInProvider,
      ProviderDefinition
    >;
    expect(Object.keys(incomplete)).toEqual(["anthropic", "scripted"]);
  });

  it("has a row, with its key variable and paid calls, for each provider a config can name", () => {
    expect(ModelProviderSchema.options).toEqual(["anthropic", "openai"]);
    const rows = ModelProviderSchema.options.map((name) => [name, PROVIDERS[name].apiKeyEnv, callsPaidModel(name)]);
    expect(rows).toEqual([
      ["anthropic", "ANTHROPIC_API_KEY", true],
      ["openai", "OPENAI_API_KEY", true],
    ]);
    expect(callsPaidModel("scripted")).toBe(false);
    expect(callsPaidModel("rules")).toBe(false);
  });

  it("sends a temperature only to providers that take one", () => {
    expect(requestTemperature({ provider: "openai", temperature: 0.2 })).toBe(0.2);
    expect(requestTemperature({ provider: "openai" })).toBeUndefined();
    expect(requestTemperature({ provider: "anthropic", temperature: 0.2 })).toBeUndefined();
  });
});

describe("the judge table", () => {
  it("is a type error without a row for a judge kind the run log can record", () => {
    const heuristic = JUDGES.heuristic;
    // @ts-expect-error: no llm row.
    const incomplete: { [K in JudgeKind]: JudgeDefinition<K> } = { heuristic };
    expect(Object.keys(incomplete)).toEqual(["heuristic"]);
  });

  it("names a model judge by its id and another by its kind, in the medium's words", () => {
    const notLlm = (title: string) => `${title} (not an LLM)`;
    expect(judgeName({ kind: "heuristic", id: "heuristic" }, notLlm)).toBe("heuristic judge (not an LLM)");
    expect(judgeName({ kind: "llm", id: "anthropic:claude-opus-5-5" }, notLlm)).toBe("anthropic:claude-opus-5-5");
  });
});
