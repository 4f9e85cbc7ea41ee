import type { ExtractorConfig } from "../schema/extractor-config.js";
import type { ChangeKind, ConfigDiff } from "../schema/report.js";
import { CHANGE_KINDS } from "../schema/constants.js";

/** Fields that only label a config; they never change what it extracts. */
const IGNORED = new Set(["name", "description"]);

/** Field path patterns of each kind of change, first match wins; anything else is `other`. */
const KINDS: Array<[ChangeKind, RegExp]> = [
  ["schema_version", /^extractor\.schema_version$/],
  ["model", /^extractor\.(?:provider|model|base_url)$/],
  ["type_rules", /^extractor\.(?:type_rules|rules\.type_rules)(?:\.|$)/],
  ["prompt", /^extractor\.(?:custom_instructions|quality_rules|prompt\w*)(?:\.|$)/],
  ["sampling", /^extractor\.(?:temperature|max_tokens|top_p|max_input_tokens)$/],
  ["normalization", /^predicate_normalization(?:\.|$)/],
  ["scaling", /^confidence_scaling(?:\.|$)/],
  ["prefilter", /^prefilter(?:\.|$)/],
  ["dedupe", /^dedupe(?:\.|$)/],
  ["extractor_settings", /^extractor\./],
];

export function changeKindOf(field: string): ChangeKind {
  return KINDS.find(([, pattern]) => pattern.test(field))?.[0] ?? "other";
}

/** Flatten to dotted paths with printable leaf values; arrays are compared whole. */
function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix, typeof value === "string" ? value : JSON.stringify(value));
}

/** What changed between two extractor configs, each changed field labelled with its kind of change. */
export function diffConfigs(baseline: ExtractorConfig, candidate: ExtractorConfig): ConfigDiff {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(baseline, "", a);
  flatten(candidate, "", b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => !IGNORED.has(f)).sort();
  // Another kind of extractor altogether: its own settings (the rules extractor's type mapping, a
  // command line) say nothing about prompts or type rules of the other.
  const providerChanged = a.get("extractor.provider") !== b.get("extractor.provider");
  const kindOf = (field: string) => {
    const kind = changeKindOf(field);
    return providerChanged && /^extractor\.(?:rules|command|path|cwd|timeout_ms)(?:\.|$)/.test(field)
      ? "extractor_settings"
      : kind;
  };
  const changed = fields
    .filter((field) => a.get(field) !== b.get(field))
    .map((field) => ({
      field,
      kind: kindOf(field),
      baseline: a.get(field) ?? "(unset)",
      candidate: b.get(field) ?? "(unset)",
    }));
  const present = new Set(changed.map((c) => c.kind));
  const kinds = CHANGE_KINDS.filter((kind) => present.has(kind));
  return {
    changed,
    kinds,
    model_changed: present.has("model"),
    prompt_changed: present.has("prompt"),
    type_rules_changed: present.has("type_rules"),
    schema_version_changed: present.has("schema_version"),
  };
}

/** A human label per kind of change, for the recommendation's summary. */
export const CHANGE_KIND_LABEL: Record<ChangeKind, string> = {
  schema_version: "schema version",
  model: "model",
  prompt: "prompt text",
  type_rules: "type rules",
  sampling: "sampling parameters",
  extractor_settings: "extractor settings",
  normalization: "predicate normalization",
  scaling: "confidence scaling",
  prefilter: "pre-filter",
  dedupe: "dedupe",
  other: "other settings",
};
