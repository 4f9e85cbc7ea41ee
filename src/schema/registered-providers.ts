import { ExtractorSchema } from "./extractor-config.js";
import { ModelProviderSchema } from "./model-settings.js";

/**
 * A provider registered from code (`registerProvider`) takes the settings of an OpenAI-compatible
 * model (see RegisteredModelExtractor). The config schemas list the providers the bench ships, so a
 * section naming a registered one is read as `openai` settings, and its own name is put back on what
 * they return: the same fields, defaults and messages, under the registered name.
 */
const READ_AS = "openai";

/** Provider names the config schemas know: the bench's extractors, its model providers and the heuristic judge. */
const SCHEMA_PROVIDERS: ReadonlySet<string> = new Set([
  ...ExtractorSchema.options.map((option) => option.shape.provider.value),
  ...ModelProviderSchema.options,
  "heuristic",
]);

/** Where a document holds one model's settings (`extractor`, `judge`), as a path of keys from its root. */
export type SettingsPath = readonly string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(root: unknown, path: SettingsPath): unknown {
  let value = root;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return value;
}

/** `root` with the value at `path` replaced, copying the objects on the way (the document itself is left as it was). */
function replaced(root: unknown, path: SettingsPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string, ...string[]];
  const object = root as Record<string, unknown>;
  return { ...object, [key]: replaced(object[key], rest, value) };
}

/**
 * The document to validate, with the settings at `paths` that name a `registered` provider read as
 * `openai` ones, and `restore`, which puts the registered names back on the validated data.
 */
export function readRegisteredProviders(
  document: unknown,
  paths: readonly SettingsPath[],
  registered: (name: string) => boolean,
): { value: unknown; restore: (data: unknown) => void } {
  const names: { path: SettingsPath; name: string }[] = [];
  let value = document;
  for (const path of paths) {
    const settings = at(value, path);
    if (!isRecord(settings) || typeof settings.provider !== "string" || SCHEMA_PROVIDERS.has(settings.provider))
      continue;
    if (!registered(settings.provider)) continue;
    names.push({ path, name: settings.provider });
    value = replaced(value, path, { ...settings, provider: READ_AS });
  }
  return {
    value,
    restore: (data) => {
      for (const { path, name } of names) {
        const settings = at(data, path);
        if (isRecord(settings)) settings.provider = name;
      }
    },
  };
}

/** What a run log holds: providers its run had registered, whether or not this process has. */
export const RECORDED_PROVIDER = (name: string): boolean => !SCHEMA_PROVIDERS.has(name);
