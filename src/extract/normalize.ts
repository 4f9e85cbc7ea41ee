import type { ExtractorConfig } from "../schema/extractor-config.js";

/** Map of raw predicate → canonical predicate from the config's normalization mappings. */
export function predicateMap(settings: ExtractorConfig["predicate_normalization"]): Map<string, string> {
  const map = new Map<string, string>();
  if (!settings.enabled) return map;
  for (const mapping of settings.mappings) for (const from of mapping.from) map.set(from, mapping.to);
  return map;
}

export function normalizePredicate(raw: string, map: Map<string, string>): string {
  return map.get(raw) ?? raw;
}

/** Confidence after the config's scaling, kept in [0, 1] and rounded to 4 places. */
export function scaleConfidence(confidence: number, settings: ExtractorConfig["confidence_scaling"]): number {
  const scaled = settings.enabled ? confidence * settings.factor : confidence;
  return Math.round(Math.min(1, Math.max(0, scaled)) * 10_000) / 10_000;
}
