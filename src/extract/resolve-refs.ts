import type { ResolutionStage, ResolvedEntity } from "../schema/candidate.js";
import type { KnownEntity } from "../schema/conversation.js";
import { editDistance, slugify } from "../text/tokens.js";
import { uuidV5 } from "./uuid-v5.js";

/** Similarity a fuzzy match must reach (1 − edit distance / longer length, on normalized names). */
export const FUZZY_MATCH_THRESHOLD = 0.85;

const TITLES = /\b(?:dr|mr|mrs|ms|mx|prof|sir|madam|miss)\b\.?/g;

function normalizeName(value: string): string {
  return value.toLowerCase().replace(TITLES, " ").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

interface EntityEntry {
  id: string;
  name: string;
  aliases: string[];
}

function fuzzyScore(mention: string, candidate: string): number {
  const a = normalizeName(mention);
  const b = normalizeName(candidate);
  if (a === "" || b === "") return 0;
  if (a === b) return 1;
  const aTokens = a.split(" ");
  const bTokens = new Set(b.split(" "));
  // "Dr. Priya Sharma" ~ "Priya Sharma"; "Priya" alone is an alias's job, not fuzzy's.
  if (aTokens.length > 1 && aTokens.every((t) => bTokens.has(t))) return 0.9;
  if (bTokens.size > 1 && [...bTokens].every((t) => aTokens.includes(t))) return 0.9;
  return 1 - editDistance(a, b) / Math.max(a.length, b.length);
}

/**
 * The scope's entity table during one dry run: seeded with the entities the store already knows,
 * grown by fallback entities. Mentions resolve exact → alias → fuzzy → UUID v5 fallback.
 */
export class EntityTable {
  private readonly entries: EntityEntry[];

  constructor(known: KnownEntity[]) {
    this.entries = known.map((entity) => ({
      id: entity.id ?? `ent-${slugify(entity.name)}`,
      name: entity.name,
      aliases: entity.aliases,
    }));
  }

  resolve(mention: string): ResolvedEntity {
    const raw = mention.trim();
    const lower = raw.toLowerCase();
    const exact = this.entries.find((e) => e.name.toLowerCase() === lower);
    if (exact) return this.hit(raw, exact, "exact");
    const alias = this.entries.find((e) => e.aliases.some((a) => a.toLowerCase() === lower));
    if (alias) return this.hit(raw, alias, "alias");
    let best: EntityEntry | undefined;
    let bestScore = 0;
    for (const entry of this.entries) {
      const score = Math.max(fuzzyScore(raw, entry.name), ...entry.aliases.map((a) => fuzzyScore(raw, a)));
      if (score > bestScore) {
        best = entry;
        bestScore = score;
      }
    }
    if (best && bestScore >= FUZZY_MATCH_THRESHOLD) return this.hit(raw, best, "fuzzy");
    const created: EntityEntry = { id: uuidV5(raw), name: raw, aliases: [] };
    this.entries.push(created);
    return this.hit(raw, created, "fallback");
  }

  private hit(mention: string, entry: EntityEntry, stage: ResolutionStage): ResolvedEntity {
    return { mention, id: entry.id, stage };
  }
}
