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
      kinds: [],
      model_changed: false,
      prompt_changed: false,
      type_rules_changed: false,
      schema_version_changed: false,
    });
  });

  it("ignores name and description", () => {
    const diff = diffConfigs(
      makeExtractorConfig({ name: "v3" }),
      makeExtractorConfig({ name: "v4", description: "the new one" }),
    );
    expect(diff.changed).toEqual([]);
  });

  it("labels a model change", () => {
    const diff = diffConfigs(base(), withExtractor({ model: "rules-v2" }));
    expect(diff.changed).toEqual([
      { field: "extractor.model", kind: "model", baseline: "rules-v1", candidate: "rules-v2" },
    ]);
    expect(diff).toMatchObject({
      kinds: ["model"],
      model_changed: true,
      prompt_changed: false,
      type_rules_changed: false,
      schema_version_changed: false,
    });
  });

  // field, change, kind, before, after: "prompt" only for prompt text
  it.each([
    [
      "custom_instructions",
      { custom_instructions: "Prefer precise predicates." },
      "prompt",
      "(unset)",
      "Prefer precise predicates.",
    ],
    ["quality_rules", { quality_rules: "Skip small talk." }, "prompt", "(unset)", "Skip small talk."],
    ["temperature", { temperature: 0.3 }, "sampling", "(unset)", "0.3"],
    ["max_tokens", { max_tokens: 2048 }, "sampling", "(unset)", "2048"],
    [
      "rules.predicate_style",
      { rules: { predicate_style: "camelCase" } },
      "extractor_settings",
      "snake_case",
      "camelCase",
    ],
    ["rules.base_confidence", { rules: { base_confidence: 0.85 } }, "extractor_settings", "0.7", "0.85"],
    ["rules.subject_naming", { rules: { subject_naming: "slug" } }, "extractor_settings", "name", "slug"],
    ["type_rules", { type_rules: "Job titles are facts." }, "type_rules", "(unset)", "Job titles are facts."],
    ["rules.type_rules.preference", { rules: { type_rules: { preference: "fact" } } }, "type_rules", "(unset)", "fact"],
    ["schema_version", { schema_version: 2 }, "schema_version", "1", "2"],
  ])("labels extractor.%s as %s", (field, extractor, kind, before, after) => {
    const diff = diffConfigs(base(), withExtractor(extractor));
    expect(diff.changed).toEqual([{ field: `extractor.${field}`, kind, baseline: before, candidate: after }]);
    expect(diff.kinds).toEqual([kind]);
    expect(diff.prompt_changed).toBe(kind === "prompt");
    expect(diff.type_rules_changed).toBe(kind === "type_rules");
    expect(diff.schema_version_changed).toBe(kind === "schema_version");
  });

  it.each([
    [
      "predicate_normalization",
      { predicate_normalization: { enabled: true, mappings: [{ from: ["worksAt"], to: "works_at" }] } },
      "normalization",
    ],
    ["confidence_scaling", { confidence_scaling: { enabled: true, factor: 0.9 } }, "scaling"],
    ["prefilter", { prefilter: { min_chars: 12 } }, "prefilter"],
    ["dedupe", { dedupe: { text_similarity: 0.8 } }, "dedupe"],
  ])("labels a %s change as %s", (_section, rest, kind) => {
    const diff = diffConfigs(base(), withExtractor({}, rest));
    expect(diff.kinds).toEqual([kind]);
    expect(diff.changed.every((c) => c.kind === kind)).toBe(true);
  });

  it("compares arrays whole", () => {
    const diff = diffConfigs(
      withExtractor({ rules: { categories: ["work", "family"] } }),
      withExtractor({ rules: { categories: ["work"] } }),
    );
    expect(diff.changed).toEqual([
      {
        field: "extractor.rules.categories",
        kind: "extractor_settings",
        baseline: '["work","family"]',
        candidate: '["work"]',
      },
    ]);
  });

  it("sorts changes by field and kinds in a fixed order", () => {
    const diff = diffConfigs(
      base(),
      withExtractor({ schema_version: 2 }, { dedupe: { text_similarity: 0.8 }, prefilter: { min_chars: 12 } }),
    );
    expect(diff.changed.map((c) => c.field)).toEqual([
      "dedupe.text_similarity",
      "extractor.schema_version",
      "prefilter.min_chars",
    ]);
    expect(diff.kinds).toEqual(["schema_version", "prefilter", "dedupe"]);
  });

  it("reports several kinds of change at once", () => {
    const diff = diffConfigs(
      base(),
      withExtractor({ model: "rules-v2", schema_version: 2, custom_instructions: "x", type_rules: "y" }),
    );
    expect(diff).toMatchObject({
      kinds: ["schema_version", "model", "prompt", "type_rules"],
      model_changed: true,
      prompt_changed: true,
      type_rules_changed: true,
      schema_version_changed: true,
    });
    expect(diff.changed).toHaveLength(4);
  });
});
