import { describe, expect, it } from "vitest";
import { diffConfigs } from "../../src/recommend/config-diff.js";
import { makeExtractorConfig } from "../metrics/fixtures.js";

const base = () => makeExtractorConfig({ name: "baseline" });
const withExtractor = (extractor: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  makeExtractorConfig({ name: "candidate", ...rest, extractor });

describe("diffConfigs", () => {
  it("finds nothing between identical configs", () => {
    expect(diffConfigs(base(), base())).toEqual({
      changed: [],
      model_changed: false,
      prompt_changed: false,
      type_rules_changed: false,
      schema_version_changed: false,
    });
  });

  it("ignores name and description", () => {
    const diff = diffConfigs(makeExtractorConfig({ name: "v3" }), makeExtractorConfig({ name: "v4", description: "the new one" }));
    expect(diff.changed).toEqual([]);
  });

  it("detects a model change", () => {
    const diff = diffConfigs(base(), withExtractor({ model: "rules-v2" }));
    expect(diff.changed).toEqual([{ field: "extractor.model", baseline: "rules-v1", candidate: "rules-v2" }]);
    expect(diff).toMatchObject({ model_changed: true, prompt_changed: false, type_rules_changed: false, schema_version_changed: false });
  });

  it.each([
    ["custom_instructions", { custom_instructions: "Prefer precise predicates." }, "(unset)", "Prefer precise predicates."],
    ["quality_rules", { quality_rules: "Skip small talk." }, "(unset)", "Skip small talk."],
    ["temperature", { temperature: 0.3 }, "(unset)", "0.3"],
    ["max_tokens", { max_tokens: 2048 }, "(unset)", "2048"],
    ["rules.predicate_style", { rules: { predicate_style: "camelCase" } }, "snake_case", "camelCase"],
    ["rules.base_confidence", { rules: { base_confidence: 0.85 } }, "0.7", "0.85"],
    ["rules.subject_naming", { rules: { subject_naming: "slug" } }, "name", "slug"],
  ])("detects a prompt change: extractor.%s", (field, extractor, before, after) => {
    const diff = diffConfigs(base(), withExtractor(extractor));
    expect(diff.changed).toEqual([{ field: `extractor.${field}`, baseline: before, candidate: after }]);
    expect(diff).toMatchObject({ model_changed: false, prompt_changed: true, type_rules_changed: false, schema_version_changed: false });
  });

  it("compares arrays whole", () => {
    const diff = diffConfigs(withExtractor({ rules: { categories: ["work", "family"] } }), withExtractor({ rules: { categories: ["work"] } }));
    expect(diff.changed).toEqual([{ field: "extractor.rules.categories", baseline: '["work","family"]', candidate: '["work"]' }]);
    expect(diff.prompt_changed).toBe(true);
  });

  it.each([
    ["the prompt's type rules", { type_rules: "Job titles are facts." }, "extractor.type_rules", "(unset)", "Job titles are facts."],
    ["a rules-extractor type mapping", { rules: { type_rules: { preference: "fact" } } }, "extractor.rules.type_rules.preference", "(unset)", "fact"],
  ])("detects a type-rules change: %s", (_label, extractor, field, before, after) => {
    const diff = diffConfigs(base(), withExtractor(extractor));
    expect(diff.changed).toEqual([{ field, baseline: before, candidate: after }]);
    expect(diff).toMatchObject({ model_changed: false, prompt_changed: false, type_rules_changed: true, schema_version_changed: false });
  });

  it("detects a schema_version change", () => {
    const diff = diffConfigs(base(), withExtractor({ schema_version: 2 }));
    expect(diff.changed).toEqual([{ field: "extractor.schema_version", baseline: "1", candidate: "2" }]);
    expect(diff).toMatchObject({ model_changed: false, prompt_changed: false, type_rules_changed: false, schema_version_changed: true });
  });

  it("lists other changes without classifying them, sorted by field", () => {
    const diff = diffConfigs(base(), withExtractor({ schema_version: 2 }, { dedupe: { text_similarity: 0.8 }, prefilter: { min_chars: 12 } }));
    expect(diff.changed.map((c) => c.field)).toEqual(["dedupe.text_similarity", "extractor.schema_version", "prefilter.min_chars"]);
    expect(diff.changed[0]).toEqual({ field: "dedupe.text_similarity", baseline: "0.9", candidate: "0.8" });
    expect(diff).toMatchObject({ model_changed: false, prompt_changed: false, type_rules_changed: false, schema_version_changed: true });
  });

  it("reports several kinds of change at once", () => {
    const diff = diffConfigs(base(), withExtractor({ model: "rules-v2", schema_version: 2, custom_instructions: "x", type_rules: "y" }));
    expect(diff).toMatchObject({ model_changed: true, prompt_changed: true, type_rules_changed: true, schema_version_changed: true });
    expect(diff.changed).toHaveLength(4);
  });
});
