import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { recommend, strategyLabel, type RecommendInput } from "../../src/recommend/recommend.js";
import {
  makeCompleteness,
  makeConfigMetrics,
  makeExtractorConfig,
  makePairing,
  makeTypeChange,
  makeVocabulary,
} from "../metrics/fixtures.js";

function input(overrides: Partial<RecommendInput> = {}): RecommendInput {
  const calibration = { judged: 0, indicative_only: true, bins: [], ece: null, brier: null, curve: [] };
  return {
    baseline: makeExtractorConfig({ name: "v1" }),
    candidate: makeExtractorConfig({ name: "v1" }),
    metrics: { baseline: makeConfigMetrics(), candidate: makeConfigMetrics() },
    completeness: makeCompleteness(),
    minPairedConversations: 10,
    calibration: { baseline: calibration, candidate: calibration, scaling: { factor: 0.78, method: "test" } },
    vocabulary: makeVocabulary(),
    types: makeTypeChange(),
    // enough paired facts for the rows that read them to say something
    pairing: makePairing({ pairs: 30, by_evidence: 30, by_subject_object: 0 }),
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
    const result = recommend(
      input({ candidate: makeExtractorConfig({ extractor: { custom_instructions: "Be terse." } }) }),
    );
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("1 field(s)");
    expect(result.warnings[0]).toContain("schema_version 1");
  });

  it("does not warn when schema_version was bumped", () => {
    const result = recommend(
      input({ candidate: makeExtractorConfig({ extractor: { custom_instructions: "Be terse.", schema_version: 2 } }) }),
    );
    expect(result.warnings).toEqual([]);
    expect(result).toMatchObject({ strategy: "coexist", risk: "low" });
    expect(result.rules.map((r) => r.id)).toEqual(["prompt_wording"]);
    expect(result.summary).toBe("coexist (low risk): prompt wording changed (schema version changed too; same model)");
    expect(result.snippets.rollout).toBeUndefined();
  });

  it("says when the configs differ but no row applies, naming the kinds of change", () => {
    const result = recommend(input({ candidate: makeExtractorConfig({ dedupe: { text_similarity: 0.8 } }) }));
    expect(result).toMatchObject({ strategy: "coexist", risk: "low", rules: [] });
    expect(result.summary).toBe("coexist (low risk): no row of the decision table applies (changed: dedupe)");
    expect(result.warnings).toHaveLength(1); // dedupe changed, schema_version 1 on both
  });

  it("labels a schema_version-only change as such, not as prompt wording", () => {
    const result = recommend(input({ candidate: makeExtractorConfig({ extractor: { schema_version: 2 } }) }));
    expect(result.rules).toEqual([]);
    expect(result.config_diff.kinds).toEqual(["schema_version"]);
    expect(result.summary).toBe("coexist (low risk): only schema_version changed");
  });

  it("is insufficient data, with its reasons and no measured row, when too few conversations are paired", () => {
    const result = recommend(
      input({
        candidate: makeExtractorConfig({ extractor: { model: "rules-v2", schema_version: 2 } }),
        completeness: makeCompleteness({
          paired_conversations: 0,
          candidate: {
            attempted: 10,
            succeeded: 0,
            failed: 10,
            failed_rate: 1,
            failed_by_kind: { timeout: 10 },
            judge_errors: {},
          },
        }),
        metrics: { baseline: makeConfigMetrics(), candidate: makeConfigMetrics({ candidates: 0 }) },
        pairing: makePairing({ pairs: 10, subject_entity_changed: 10 }),
        flags: [{ id: "confidence_shift", message: "x" }],
      }),
    );
    expect(result).toMatchObject({ strategy: "insufficient_data", risk: "unknown", snippets: {} });
    expect(result.insufficient).toEqual([
      "0 of 10 conversations are paired (both configs produced a result); at least 10 are needed (min_paired_conversations)",
      "every dry run of the candidate failed (10 of 10)",
    ]);
    expect(result.rules.map((r) => r.id)).toEqual(["model_upgrade"]);
    expect(strategyLabel(result.strategy)).toBe("insufficient data");
  });

  it('labels each fired row with what changed, never "same" for what did not stay the same', () => {
    const result = recommend(
      input({
        candidate: makeExtractorConfig({
          extractor: { model: "rules-v2", custom_instructions: "Be terse.", schema_version: 2 },
        }),
      }),
    );
    expect(result.rules.map((r) => r.change)).toEqual([
      "prompt wording changed (model and schema version changed too)",
      "model changed (prompt and schema version changed too)",
    ]);
    const promptOnly = recommend(
      input({ candidate: makeExtractorConfig({ extractor: { custom_instructions: "Be terse." } }) }),
    );
    expect(promptOnly.rules.map((r) => r.change)).toEqual(["prompt wording changed (same model and schema version)"]);
  });

  it("says that drift of naming and types was not measured when too few facts paired, instead of keeping silent", () => {
    const result = recommend(
      input({
        candidate: makeExtractorConfig({ extractor: { schema_version: 2, rules: { subject_naming: "slug" } } }),
        pairing: makePairing({ pairs: 2, by_evidence: 0, by_subject_object: 2 }),
      }),
    );
    expect(result.strategy).toBe("coexist");
    expect(result.not_measured).toHaveLength(1);
    expect(result.not_measured![0]).toContain(
      "only 2 facts of the two configs paired (0 by shared evidence turns, 2 by subject and object), fewer than 5",
    );
    expect(result.summary).toContain("entity naming and type moves were not measured (too few paired facts)");
    expect(recommend(input()).not_measured).toEqual([]);
  });

  it("is insufficient data when every judge call of a side failed", () => {
    const completeness = makeCompleteness();
    completeness.candidate = { ...completeness.candidate, judge_errors: { coverage: 10, usefulness: 10 } };
    const candidate = makeConfigMetrics({
      precision: { value: null, useful: 0, judged: 0, ci: null },
      recall: { value: null, covered: 0, golden: 0, ci: null },
    });
    const result = recommend(input({ completeness, metrics: { baseline: makeConfigMetrics(), candidate } }));
    expect(result.strategy).toBe("insufficient_data");
    expect(result.insufficient).toEqual([
      "every judge call on the candidate failed (coverage 10, usefulness 10): nothing it extracted was judged",
    ]);
  });

  it("is insufficient data when a side produced no candidates", () => {
    const result = recommend(
      input({ metrics: { baseline: makeConfigMetrics(), candidate: makeConfigMetrics({ candidates: 0 }) } }),
    );
    expect(result.strategy).toBe("insufficient_data");
    expect(result.insufficient).toEqual(["the candidate produced no candidates on the paired conversations"]);
  });

  it("emits the rollout snippet for a progressive rollout", () => {
    const result = recommend(
      input({ candidate: makeExtractorConfig({ extractor: { model: "rules-v2", schema_version: 2 } }) }),
    );
    expect(result).toMatchObject({ strategy: "progressive_rollout", risk: "medium" });
    expect(result.summary).toBe(
      "progressive rollout (medium risk): model changed (schema version changed too; same prompt)",
    );
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
        pairing: makePairing({
          pairs: 10,
          subject_entity_changed: 8,
          subject_examples: [{ from: "Alice", to: "alice-chen" }],
        }),
      }),
    );
    expect(result.rules.map((r) => r.id)).toEqual(["model_upgrade", "entity_naming"]);
    expect(result).toMatchObject({ strategy: "full_reextraction", risk: "high" });
    expect(result.summary).toBe("full re-extraction (high risk): entity naming convention changed");
    expect(result.snippets.rollout).toBeUndefined();
  });

  it("emits the normalization mappings the vocabulary suggests when it drifted", () => {
    const vocabulary = makeVocabulary({
      jaccard: 0.4, // 2 shared of 5
      band: "significant",
      shared: ["likes", "plays"],
      only_baseline: ["lives_in", "works_at"],
      only_candidate: ["employed_by", "livesIn", "worksAt"],
      renames: [{ from: "works_at", to: "employed_by", count: 2 }],
      suggestions: [
        { from: "livesIn", to: "lives_in", reason: "spelling", reconciles: 3 },
        { from: "worksAt", to: "works_at", reason: "spelling", reconciles: 3 },
        { from: "employed_by", to: "works_at", reason: "renamed", reconciles: 2 },
      ],
    });
    const result = recommend(
      input({
        candidate: makeExtractorConfig({ extractor: { schema_version: 2, rules: { predicate_style: "camelCase" } } }),
        vocabulary,
      }),
    );
    expect(result.rules.map((r) => r.id)).toEqual(["predicate_renamed"]);
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

  it("emits the calibration's scaling factor only with a confidence_shift flag", () => {
    const shifted = recommend(input({ flags: [{ id: "confidence_shift", message: "confidence shifted" }] }));
    expect(parse(shifted.snippets.scaling!)).toEqual({ confidence_scaling: { enabled: true, factor: 0.78 } });

    const quiet = recommend(input({ flags: [{ id: "json_fail_rate", message: "JSON" }] }));
    expect(quiet.snippets.scaling).toBeUndefined();
  });

  it("labels strategies for people", () => {
    expect(strategyLabel("progressive_rollout")).toBe("progressive rollout");
    expect(strategyLabel("full_reextraction")).toBe("full re-extraction");
    expect(strategyLabel("coexist")).toBe("coexist");
  });
});
