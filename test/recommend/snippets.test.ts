import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { normalizationMappings, normalizationSnippet, rolloutSnippet, scalingFactor, scalingSnippet } from "../../src/recommend/snippets.js";
import { makeConfigMetrics, makeExtractorConfig, makeVocabulary } from "../metrics/fixtures.js";

describe("rolloutSnippet", () => {
  it("is the seed's progressive block at 10%", () => {
    const snippet = rolloutSnippet(
      makeExtractorConfig({ extractor: { model: "claude-haiku-4-5", schema_version: 3 } }),
      makeExtractorConfig({ extractor: { model: "claude-sonnet-4-5", schema_version: 4 } }),
    );
    expect(parse(snippet)).toEqual({
      write_pipeline: {
        extractor: {
          strategy: "progressive",
          primary: { schema_version: 3, provider: "rules", model: "claude-haiku-4-5" },
          candidate: { schema_version: 4, provider: "rules", model: "claude-sonnet-4-5" },
          rollout_percent: 10,
          compare_metric: "retrieval_precision_at_5",
          compare_window_days: 7,
        },
      },
    });
  });
});

describe("normalizationMappings", () => {
  it("maps renamed and case/separator variants back to the baseline's predicate", () => {
    const vocabulary = makeVocabulary({
      jaccard: 0.125, // 1 shared of 8
      band: "significant",
      shared: ["likes"],
      only_baseline: ["has_child", "lives_in", "works_at"],
      only_candidate: ["employed_by", "hasChild", "lives-in", "plays", "worksAt"],
      renames: [{ from: "works_at", to: "employed_by", count: 3 }],
    });
    expect(normalizationMappings(vocabulary)).toEqual([
      { from: ["hasChild"], to: "has_child" }, // case style
      { from: ["lives-in"], to: "lives_in" }, // separator
      { from: ["employed_by", "worksAt"], to: "works_at" }, // rename + case style, sorted
    ]);
    // plays has no baseline counterpart: not mapped
  });

  it("maps a renamed predicate to its most frequent baseline form", () => {
    const vocabulary = makeVocabulary({
      shared: [],
      only_baseline: ["works_at", "works_for"],
      only_candidate: ["employed_by"],
      renames: [
        { from: "works_at", to: "employed_by", count: 5 },
        { from: "works_for", to: "employed_by", count: 2 },
      ],
    });
    expect(normalizationMappings(vocabulary)).toEqual([{ from: ["employed_by"], to: "works_at" }]);
  });

  it("never remaps a predicate both configs use", () => {
    const vocabulary = makeVocabulary({
      shared: ["likes", "enjoys"],
      only_baseline: [],
      only_candidate: [],
      renames: [{ from: "likes", to: "enjoys", count: 4 }],
    });
    expect(normalizationMappings(vocabulary)).toEqual([]);
  });
});

describe("normalizationSnippet", () => {
  it("is a ready-to-paste predicate_normalization block", () => {
    const snippet = normalizationSnippet(makeVocabulary({ shared: [], only_baseline: ["works_at"], only_candidate: ["worksAt"] }));
    expect(parse(snippet!)).toEqual({ predicate_normalization: { enabled: true, mappings: [{ from: ["worksAt"], to: "works_at" }] } });
  });

  it("is undefined when there is nothing to map", () => {
    expect(normalizationSnippet(makeVocabulary())).toBeUndefined();
  });
});

describe("scalingFactor and scalingSnippet", () => {
  const withMean = (mean: number | null) => makeConfigMetrics({ confidence: { mean } });

  it("is baseline mean / candidate mean, to 2 places", () => {
    expect(scalingFactor(withMean(0.72), withMean(0.6))).toBe(1.2); // 0.72 / 0.6
    expect(scalingFactor(withMean(0.7), withMean(0.9))).toBe(0.78); // 0.777… → 0.78
    expect(scalingFactor(withMean(0.8), withMean(0.6))).toBe(1.33); // 1.333… → 1.33
  });

  it("is undefined without both means or with a zero candidate mean", () => {
    expect(scalingFactor(withMean(null), withMean(0.6))).toBeUndefined();
    expect(scalingFactor(withMean(0.6), withMean(null))).toBeUndefined();
    expect(scalingFactor(withMean(0.6), withMean(0))).toBeUndefined();
  });

  it("emits a confidence_scaling block", () => {
    expect(parse(scalingSnippet(1.2))).toEqual({ confidence_scaling: { enabled: true, factor: 1.2 } });
  });
});
