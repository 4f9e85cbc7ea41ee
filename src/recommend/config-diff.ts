import type { ExtractorConfig } from "../schema/extractor-config.js";
import type { ConfigDiff } from "../schema/report.js";

/** Fields that only label a config; they never change what it extracts. */
const IGNORED = new Set(["name", "description"]);
const MODEL_FIELDS = new Set(["extractor.provider", "extractor.model"]);
const TYPE_RULE_FIELDS = /^extractor\.(?:type_rules|rules\.type_rules)(?:\.|$)/;
const PROMPT_FIELDS =
  /^extractor\.(?:custom_instructions|quality_rules|temperature|max_tokens|rules\.(?:predicate_style|base_confidence|hedged_statements|categories|subject_naming))(?:\.|$)/;

/** Flatten to dotted paths with printable leaf values; arrays are compared whole. */
function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix, typeof value === "string" ? value : JSON.stringify(value));
}

/** What changed between two extractor configs, and which kinds of change those are. */
export function diffConfigs(baseline: ExtractorConfig, candidate: ExtractorConfig): ConfigDiff {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(baseline, "", a);
  flatten(candidate, "", b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => !IGNORED.has(f)).sort();
  const changed = fields
    .filter((field) => a.get(field) !== b.get(field))
    .map((field) => ({ field, baseline: a.get(field) ?? "(unset)", candidate: b.get(field) ?? "(unset)" }));
  const any = (test: (field: string) => boolean) => changed.some((c) => test(c.field));
  return {
    changed,
    model_changed: any((f) => MODEL_FIELDS.has(f)),
    prompt_changed: any((f) => PROMPT_FIELDS.test(f)),
    type_rules_changed: any((f) => TYPE_RULE_FIELDS.test(f)),
    schema_version_changed: any((f) => f === "extractor.schema_version"),
  };
}
