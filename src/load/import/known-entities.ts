import type { KnownEntity, Turn } from "../../schema/conversation.js";
import { slugify } from "../../text/tokens.js";

/** Speaker names that stand for the machine's side of a conversation when turns carry no role. */
const NON_PERSON_SPEAKERS = new Set(["assistant", "system"]);

/**
 * The people who speak in a conversation, in order of first turn: a speaker none of whose turns has
 * the assistant or system role (and, when no turn of theirs has a role, not named "assistant" or "system").
 */
export function speakerNames(turns: Turn[]): string[] {
  const roles = new Map<string, Set<string | undefined>>();
  for (const turn of turns) {
    const seen = roles.get(turn.speaker) ?? new Set();
    seen.add(turn.role);
    roles.set(turn.speaker, seen);
  }
  return [...roles].flatMap(([speaker, seen]) => {
    if (seen.has("assistant") || seen.has("system")) return [];
    const roleless = seen.size === 1 && seen.has(undefined);
    return roleless && NON_PERSON_SPEAKERS.has(speaker.trim().toLowerCase()) ? [] : [speaker];
  });
}

/** Names of known entities written in one cell: separated by commas or semicolons. */
export function splitNames(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[,;]/)
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/**
 * Known entities for names an import finds (the names a mapping lists, then the speakers): one per
 * name, case ignored, first one kept; ids `ent-<slug>` as the LoCoMo importer makes them.
 */
export function entitiesNamed(names: Iterable<string>): KnownEntity[] {
  const entities = new Map<string, KnownEntity>();
  const ids = new Set<string>();
  for (const name of names) {
    const key = name.trim().toLowerCase();
    if (key === "" || entities.has(key)) continue;
    // A name with no latin letters or digits, or one whose id another name took, goes without an id.
    const id = slugify(name) ? `ent-${slugify(name)}` : undefined;
    const unique = id !== undefined && !ids.has(id);
    if (unique) ids.add(id);
    entities.set(key, { ...(unique ? { id } : {}), name: name.trim(), aliases: [] });
  }
  return [...entities.values()];
}
