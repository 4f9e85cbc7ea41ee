import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { recommend, strategyLabel, type RecommendInput } from "../../src/recommend/recommend.js";
import { makeConfigMetrics, makeExtractorConfig, makePairing, makeTypeChange, makeVocabulary } from "../metrics/fixtures.js";

function input(overrides: Partial<RecommendInput> = {}): RecommendInput {
  return {
    baseline: makeExtractorConfig({ name: "v1" }),
    candidate: makeExtractorConfig({ name: "v1" }),
    metrics: { baseline: makeConfigMetrics(), candidate: makeConfigMetrics() },
    vocabulary: makeVocabulary(),
    types: makeTypeChange(),
    pairing: makePairing(),
    flags: [],
    ...overrides,
  };
}

describe("recommend", () => {
  it("recommends coexist for identical configs, and says so", () => {
    const result = recommend(input());
    expect(result).toMatchObject({ strategy: "coexist", risk: "low", rules: [], warnings: [], snippets: {} });
    expect(result.summary).toContain("identical");
    expect(result.config_diff.changed).toEqual([]);
  });

  it("treats configs that differ only by name and description as identical", () => {
    const result = recommend(input({ candidate: makeExtractorConfig({ name: "v2", description: "renamed" }) }));
    expect(result.summary).toContain("identical");
    expect(result.warnings).toEqual([]);
  });

  it("warns when the configs differ but schema_version does not", () => {
    const result = recommend(input({ candidate: makeExtractorConfig({ extractor: { custom_instructions: "Be terse." } }) }));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("1 field(s)");
    expect(result.warnings[0]).toContain("schema_version 1");
  });

  it("does not warn when schema_version was bumped", () => {
    const result = recommend(input({ candidate: makeExtractorConfig({ extractor: { custom_instructions: "Be terse.", schema_version: 2 } }) }));
    expect(result.warnings).toEqual([]);
    expect(result).toMatchObject({ strategy: "coexist", risk: "low" });
    expect(result.rules.map((r) => r.id)).toEqual(["prompt_wording"]);
    expect(result.summary).toBe("coexist (low risk): prompt wording, same schema");
    expect(result.snippets.rollout).toBeUndefined();
  });

  it("says when the configs differ but no row applies", () => {
    const result = recommend(input({ candidate: makeExtractorConfig({ dedupe: { text_similarity: 0.8 } }) }));
    expect(result).toMatchObject({ strategy: "coexist", risk: "low", rules: [] });
    expect(result.summary).toContain("no row of the decision table applies");
    expect(result.warnings).toHaveLength(1); // dedupe changed, schema_version 1 on both
  });

  it("emits the rollout snippet for a progressive rollout", () => {
    const result = recommend(input({ candidate: makeExtractorConfig({ extractor: { model: "rules-v2", schema_version: 2 } }) }));
    expect(result).toMatchObject({ strategy: "progressive_rollout", risk: "medium" });
    expect(result.summary).toBe("progressive rollout (medium risk): model upgrade, same prompt");
    const rollout = parse(result.snippets.rollout!);
    expect(rollout.write_pipeline.extractor).toMatchObject({
      strategy: "progressive",
      rollout_percent: 10,
      primary: { schema_version: 1, model: "rules-v1" },
      candidate: { schema_version: 2, model: "rules-v2" },
    });
  });

  it("lists every row that fired and lets the highest risk win, without a rollout block for full re-extraction", () => {
    const result = recommend(
      input({
        candidate: makeExtractorConfig({ extractor: { model: "rules-v2", schema_version: 2 } }),
        pairing: makePairing({ pairs: 10, subject_changed: 8, subject_examples: [{ from: "Alice", to: "alice-chen" }] }),
      }),
    );
    expect(result.rules.map((r) => r.id)).toEqual(["model_upgrade", "entity_naming"]);
    expect(result).toMatchObject({ strategy: "full_reextraction", risk: "high" });
    expect(result.summary).toBe("full re-extraction (high risk): entity naming convention changed");
    expect(result.snippets.rollout).toBeUndefined();
  });

  it("emits normalization mappings from renames and from case/separator variants when the vocabulary drifted", () => {
    const vocabulary = makeVocabulary({
      jaccard: 0.4, // 2 shared of 5
      band: "significant",
      shared: ["likes", "plays"],
      only_baseline: ["lives_in", "works_at"],
      only_candidate: ["employed_by", "livesIn", "worksAt"],
      renames: [{ from: "works_at", to: "employed_by", count: 2 }],
    });
    const result = recommend(input({ candidate: makeExtractorConfig({ extractor: { schema_version: 2, rules: { predicate_style: "camelCase" } } }), vocabulary }));
    expect(result.rules.map((r) => r.id)).toEqual(["prompt_wording", "predicate_renamed"]);
    expect(result).toMatchObject({ strategy: "progressive_rollout", risk: "high" });
    expect(result.snippets.rollout).toBeDefined();
    expect(parse(result.snippets.normalization!)).toEqual({
      predicate_normalization: {
        enabled: true,
        mappings: [
          { from: ["livesIn"], to: "lives_in" },
          { from: ["employed_by", "worksAt"], to: "works_at" },
        ],
      },
    });
  });

  it("emits no normalization block when the vocabulary drift is minimal", () => {
    const vocabulary = makeVocabulary({
      jaccard: 0.8, // 4 shared of 5
      band: "minimal",
      shared: ["a", "b", "c", "d"],
      only_candidate: ["worksAt"],
    });
    expect(recommend(input({ vocabulary })).snippets.normalization).toBeUndefined();
  });

  it("emits the scaling factor (baseline mean / candidate mean, 2 places) only with a confidence_shift flag", () => {
    const metrics = {
      baseline: makeConfigMetrics({ confidence: { mean: 0.7, high_share: 0.55 } }),
      candidate: makeConfigMetrics({ confidence: { mean: 0.9, high_share: 0.9 } }),
    };
    const shifted = recommend(input({ metrics, flags: [{ id: "confidence_shift", message: "confidence shifted" }] }));
    expect(parse(shifted.snippets.scaling!)).toEqual({ confidence_scaling: { enabled: true, factor: 0.78 } }); // 0.7 / 0.9 = 0.777…

    const quiet = recommend(input({ metrics, flags: [{ id: "json_fail_rate", message: "JSON" }] }));
    expect(quiet.snippets.scaling).toBeUndefined();
  });

  it("labels strategies for people", () => {
    expect(strategyLabel("progressive_rollout")).toBe("progressive rollout");
    expect(strategyLabel("full_reextraction")).toBe("full re-extraction");
    expect(strategyLabel("coexist")).toBe("coexist");
  });
});
