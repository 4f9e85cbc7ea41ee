/**
 * Text normalization shared by dedupe, the heuristic judge and the metrics: one definition of
 * "the same words", so every stage agrees on what similar means.
 */

const STOPWORDS = new Set(
  (
    "a an the and or but of to in on at for from by with as is are was were be been being am " +
    "i me my mine we our us you your he him his she her they them their it its this that these those " +
    "has have had do does did will would shall should can could may might must " +
    "so very really just also too not no yes than then there here about into over after before up down out " +
    "who whom whose which what where when why how because while if them themselves myself herself himself " +
    "user"
  ).split(" "),
);

/** Split identifiers into words: `worksAt` → `works At`, `works_at` → `works at`. */
export function splitIdentifier(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ");
}

/** Case- and separator-insensitive key of a predicate: `worksAt`, `works_at`, `Works-At` → `worksat`. */
export function predicateKey(predicate: string): string {
  return splitIdentifier(predicate).toLowerCase().replace(/\s+/g, "");
}

import { stemmer } from "stemmer";
import { LruCache } from "./lru-cache.js";

/** Porter's stemmer (the `stemmer` package): `hiking`, `hikes` and `hike` all meet at `hike`. */
export function stem(word: string): string {
  return word.length <= 2 ? word : stemmer(word);
}

/** Contractions become their words (all stopwords), so "I'm" leaves no stray "m" token. */
const CONTRACTIONS = /(?:n['’]t|['’](?:m|re|ve|ll|d|s))\b/gi;
/** The negations whose first part is not a word once "n't" is cut: "won't", "can't", "shan't", "ain't" leave no "wo", "ca", "sha" or "ai". */
const IRREGULAR_NEGATIONS = /\b(?:wo|ca|sha|ai)n['’]t\b/gi;

/** Lowercased, accent-free, stemmed content words. */
export function contentTokens(text: string): string[] {
  const words = splitIdentifier(text.replace(IRREGULAR_NEGATIONS, " ").replace(CONTRACTIONS, " "))
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.filter((w) => w.length > 0 && !STOPWORDS.has(w)).map(stem);
}

/**
 * Token sets are asked for the same texts again and again (a candidate against every golden memory
 * of its conversation, each stage of a unit over the same candidates): they are memoized, bounded so
 * memory stays flat on large runs. The least recently used text goes first when the cache is full,
 * so a long conversation's texts, asked for by one stage after another, stay while in use (emptying
 * the whole cache when full made every stage start over past TOKEN_CACHE_LIMIT texts).
 */
export const TOKEN_CACHE_LIMIT = 50_000;
const tokenCache = new LruCache<string, ReadonlySet<string>>(TOKEN_CACHE_LIMIT);

export function tokenSet(text: string): ReadonlySet<string> {
  const cached = tokenCache.get(text);
  if (cached) return cached;
  const tokens: ReadonlySet<string> = new Set(contentTokens(text));
  tokenCache.set(text, tokens);
  return tokens;
}

/** Dice coefficient of two token sets: 2|A∩B| / (|A|+|B|); 0 when both are empty. */
export function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  return (2 * shared) / (a.size + b.size);
}

export function textSimilarity(a: string, b: string): number {
  return dice(tokenSet(a), tokenSet(b));
}

/**
 * Edit distance with adjacent swaps counting as one edit (optimal string alignment), for short
 * strings: entity names, field names (`txet` → `text` is 1).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    const row = d[i]!;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** Lowercase hyphenated slug: `Alice Chen` → `alice-chen`. */
export function slugify(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
