import type { ResolutionStage, ResolvedEntity } from "../schema/candidate.js";
import type { KnownEntity } from "../schema/conversation.js";
import { editDistance, slugify } from "../text/tokens.js";
import { uuidV5 } from "./uuid-v5.js";

/** Similarity a later name token must reach for a fuzzy match: 1 − edit distance / longer length ("Ramen" ~ "Raman"). */
export const FUZZY_TOKEN_THRESHOLD = 0.8;

const TITLES =
  /\b(?:dr|mr|mrs|ms|mx|prof|professor|sir|dame|madam|miss|mme|mlle|herr|frau|rev|fr|capt|col|gen|lt|sgt|jr|sr|phd|md)\b\.?/g;

/** Name tokens: lowercase, accents and punctuation gone, titles and honorifics dropped. */
export function nameTokens(value: string): string[] {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(TITLES, " ")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

/**
 * An identifier rather than a name (`alice-chen`, `priya_sharma_arr`): lowercase words joined by
 * hyphens or underscores. Identifiers are keys of the user's own scheme; they match only verbatim.
 */
export function isIdentifier(value: string): boolean {
  return /^[\p{Ll}\p{N}]+(?:[-_][\p{Ll}\p{N}]+)+$/u.test(value.trim());
}

function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return 1 - editDistance(a, b) / Math.max(a.length, b.length);
}

/**
 * A fuzzy match of two names, token by token, in order, once titles, case and punctuation are gone:
 * the same number of tokens; the first (the given name, or a one-word name) identical; later tokens
 * similar enough to forgive a typo ("Priya Sharmma" ~ "Priya Sharma"). A shared surname never
 * rescues a different first name ("Andrew Smithson" ≠ "Audrey Smithson"), initials never match
 * fuzzily, and a first name alone ("Priya") matches only a one-word name or alias: first names
 * resolve through aliases. Two different people merged is worse than one person split.
 */
export function fuzzyNameScore(mention: string[], name: string[]): number {
  if (mention.length === 0 || mention.length !== name.length || mention[0] !== name[0]) return 0;
  let worst = 1;
  for (let i = 1; i < mention.length; i++) {
    const a = mention[i]!;
    const b = name[i]!;
    if (a !== b && (a.length <= 2 || b.length <= 2)) return 0;
    worst = Math.min(worst, tokenSimilarity(a, b));
  }
  return worst >= FUZZY_TOKEN_THRESHOLD ? worst : 0;
}

interface EntityEntry {
  id: string;
  name: string;
  aliases: string[];
  /** Name tokens of the name and of each alias. */
  forms: string[][];
}

/**
 * The scope's entity table during one dry run, seeded with the entities the store already knows.
 * Mentions resolve exact → alias → fuzzy → UUID v5 fallback. A fallback entity is not added to the
 * table: every mention that reaches the fallback stage counts as unresolved, repeats included, as
 * each one would create or hit a fragment of the entity graph.
 */
export class EntityTable {
  private readonly entries: EntityEntry[];

  constructor(known: KnownEntity[]) {
    this.entries = known.map((entity) => ({
      id: entity.id ?? `ent-${slugify(entity.name)}`,
      name: entity.name,
      aliases: entity.aliases,
      forms: [entity.name, ...entity.aliases].map(nameTokens),
    }));
  }

  resolve(mention: string): ResolvedEntity {
    const raw = mention.trim();
    const lower = raw.toLowerCase();
    const exact = this.entries.find((e) => e.name.toLowerCase() === lower || e.id === raw);
    if (exact) return hit(raw, exact.id, "exact");
    const alias = this.entries.find((e) => e.aliases.some((a) => a.toLowerCase() === lower));
    if (alias) return hit(raw, alias.id, "alias");
    if (!isIdentifier(raw)) {
      const tokens = nameTokens(raw);
      let best: EntityEntry | undefined;
      let bestScore = 0;
      for (const entry of this.entries) {
        for (const form of entry.forms) {
          const score = fuzzyNameScore(tokens, form);
          if (score > bestScore) {
            best = entry;
            bestScore = score;
          }
        }
      }
      if (best) return hit(raw, best.id, "fuzzy");
    }
    return hit(raw, uuidV5(raw), "fallback");
  }
}

function hit(mention: string, id: string, stage: ResolutionStage): ResolvedEntity {
  return { mention, id, stage };
}
