import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  normalizationMappings,
  normalizationSnippet,
  rolloutSnippet,
  scalingSnippet,
  SNIPPET_DESTINATION,
} from "../../src/recommend/snippets.js";
import { makeExtractorConfig, makeVocabulary } from "../metrics/fixtures.js";

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

  it("says where it goes (the memory system's write pipeline, not an extractor config) and what compare_metric means", () => {
    const config = makeExtractorConfig();
    const snippet = rolloutSnippet(config, config);
    expect(snippet.startsWith("#")).toBe(true);
    expect(snippet).toContain("goes in the memory system's write-pipeline config");
    expect(snippet).toContain("not in an extractor config or the bench file");
    expect(snippet).toMatch(/compare_metric: what the memory system compares/);
    expect(snippet).toContain("retrieval_precision_at_5 = share of the 5 memories retrieved");
  });

  it("is refused by an extractor config, which is why no report offers it for the candidate's config", async () => {
    const { ExtractorConfigSchema } = await import("../../src/schema/extractor-config.js");
    const config = makeExtractorConfig();
    const pasted = { ...config, ...parse(rolloutSnippet(config, config)) };
    expect(ExtractorConfigSchema.safeParse(pasted).success).toBe(false);
    expect(SNIPPET_DESTINATION.rollout).toContain("write-pipeline");
    expect(SNIPPET_DESTINATION.normalization).toBe("paste into the candidate's extractor config");
    expect(SNIPPET_DESTINATION.scaling).toBe("paste into the candidate's extractor config");
  });
});

describe("normalizationMappings", () => {
  it("groups the vocabulary's suggestions by target, sources sorted", () => {
    const vocabulary = makeVocabulary({
      suggestions: [
        { from: "worksAt", to: "works_at", reason: "spelling", reconciles: 5 },
        { from: "employed_by", to: "works_at", reason: "synonym", reconciles: 3 },
        { from: "hasChild", to: "has_child", reason: "spelling", reconciles: 2 },
      ],
    });
    expect(normalizationMappings(vocabulary)).toEqual([
      { from: ["hasChild"], to: "has_child" },
      { from: ["employed_by", "worksAt"], to: "works_at" },
    ]);
  });
});

describe("normalizationSnippet", () => {
  it("is a ready-to-paste predicate_normalization block", () => {
    const snippet = normalizationSnippet(
      makeVocabulary({ suggestions: [{ from: "worksAt", to: "works_at", reason: "spelling", reconciles: 1 }] }),
    );
    expect(parse(snippet!)).toEqual({
      predicate_normalization: { enabled: true, mappings: [{ from: ["worksAt"], to: "works_at" }] },
    });
  });

  it("is undefined when there is nothing to map", () => {
    expect(normalizationSnippet(makeVocabulary())).toBeUndefined();
  });
});

describe("scalingSnippet", () => {
  it("emits a confidence_scaling block", () => {
    expect(parse(scalingSnippet(1.2))).toEqual({ confidence_scaling: { enabled: true, factor: 1.2 } });
  });
});
