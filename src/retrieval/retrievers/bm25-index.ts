import type { StoredMemory } from "../../schema/retrieval-store.js";
import { FIELDS, type Field, type TextWords, type Vocabulary } from "./bm25-words.js";

export { FIELDS, tokenize, Vocabulary } from "./bm25-words.js";

/**
 * The BM25+ index of one simulated store, in flat typed arrays. It scores as MiniSearch does with
 * its default parameters (each field scored on its own, the document frequency counted per field,
 * a field's length as its number of distinct words, the sum multiplied by the number of distinct
 * query words matched, ties in the order the documents were first matched), which the test suite
 * checks against MiniSearch itself. A store of a mixed strategy shares most memories with the others
 * of its scope, so each memory's words are read once per scope (`Vocabulary`), not once per store,
 * and a filtered lookup scores only the memories its filters let through.
 */

const FIELD_COUNT = FIELDS.length;

/** MiniSearch's defaults: term-frequency saturation, length normalization, and the BM25+ floor. */
const K = 1.2;
const B = 0.7;
const D = 0.5;

/** A word found in more than this share of a store's memories (the name of the scope's user, say) is left out of a query. */
export const COMMON_WORD_SHARE = 0.5;

/** Scoring one memory for one query word from its own words, in postings visited: an estimate (four fields, a search of each), not a measurement; either path gives the same ranking. */
const OWN_WORD_COST = 16;

export type FieldBoosts = Readonly<Record<Field, number>>;

/** How `search` picks the memories it scores: all that hold a query word, or only these (in store order). */
export type Candidates = readonly number[] | undefined;

export class StoreIndex {
  readonly size: number;
  /** Each memory's fields' words, `FIELD_COUNT` entries a memory. */
  readonly #words: TextWords[];
  readonly #vocabulary: Vocabulary;
  /** Per field: each memory's length (its distinct words) and the fields' average, accumulated as MiniSearch does. */
  readonly #lengths: Int32Array[];
  readonly #average: number[];
  /** Postings in one flat array per field: word id → [start, end) into `#docs` / `#counts`. */
  readonly #start: Int32Array[];
  readonly #docs: Int32Array[];
  readonly #counts: Int32Array[];
  /** Word id → memories holding it in any field. */
  readonly #holding: Int32Array;
  // Scratch space of one search, reused: the running score, the score of the current query word, marks.
  readonly #score: Float64Array;
  readonly #wordScore: Float64Array;
  readonly #wordMark: Int32Array;
  readonly #queryMark: Int32Array;
  readonly #candidateMark: Int32Array;
  /** The distinct query words a memory matched: a bit each for the first 32, a set past them. */
  readonly #matched: Uint32Array;
  #matchedPast32 = new Map<number, Set<number>>();
  #searches = 0;
  #wordMarks = 0;

  constructor(memories: readonly StoredMemory[], vocabulary: Vocabulary) {
    this.size = memories.length;
    this.#vocabulary = vocabulary;
    this.#words = [];
    for (const memory of memories) vocabulary.addWordsOf(memory, this.#words);
    const words = vocabulary.size;
    this.#lengths = [];
    this.#average = [];
    this.#start = [];
    this.#docs = [];
    this.#counts = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const lengths = new Int32Array(this.size);
      const start = new Int32Array(words + 1);
      let average = 0;
      for (let d = 0; d < this.size; d++) {
        const ids = this.#words[d * FIELD_COUNT + f]!.ids;
        lengths[d] = ids.length;
        average = (average * d + ids.length) / (d + 1);
        for (let i = 0; i < ids.length; i++) start[ids[i]! + 1]!++;
      }
      for (let w = 0; w < words; w++) start[w + 1]! += start[w]!;
      const fill = start.slice(0, words);
      const docs = new Int32Array(start[words]!);
      const counts = new Int32Array(start[words]!);
      for (let d = 0; d < this.size; d++) {
        const { ids, counts: tally } = this.#words[d * FIELD_COUNT + f]!;
        for (let i = 0; i < ids.length; i++) {
          const at = fill[ids[i]!]!++;
          docs[at] = d;
          counts[at] = tally[i]!;
        }
      }
      this.#lengths.push(lengths);
      this.#average.push(average);
      this.#start.push(start);
      this.#docs.push(docs);
      this.#counts.push(counts);
    }
    this.#holding = new Int32Array(words);
    const seen = new Int32Array(words).fill(-1);
    for (let d = 0; d < this.size; d++) {
      for (let f = 0; f < FIELD_COUNT; f++) {
        const ids = this.#words[d * FIELD_COUNT + f]!.ids;
        for (let i = 0; i < ids.length; i++) {
          if (seen[ids[i]!] === d) continue;
          seen[ids[i]!] = d;
          this.#holding[ids[i]!]!++;
        }
      }
    }
    this.#score = new Float64Array(this.size);
    this.#wordScore = new Float64Array(this.size);
    this.#wordMark = new Int32Array(this.size);
    this.#queryMark = new Int32Array(this.size);
    this.#candidateMark = new Int32Array(this.size);
    this.#matched = new Uint32Array(this.size);
  }

  /**
   * The query's word ids, each occurrence kept as MiniSearch keeps it, without the words most of the
   * store holds: their inverse document frequency is about nothing, so they barely move a ranking, but
   * every memory holding them would be scored (in a scope where every memory names its user, every
   * search would score the whole store). A query of common words only is kept whole; unknown words
   * match nothing.
   */
  queryWords(text: string): number[] {
    const ids = this.#vocabulary.queryTokens(text).map((word) => this.#vocabulary.idOf(word));
    const held = (id: number) => (id < 0 || id >= this.#holding.length ? 0 : this.#holding[id]!);
    const kept = ids.filter((id) => held(id) <= this.size * COMMON_WORD_SHARE);
    return (kept.length > 0 ? kept : ids).filter((id) => id >= 0 && id < this.#holding.length);
  }

  /**
   * Memories of the store holding a query word, best first, at most `k` of those `accept` lets
   * through: scored over every posting of the query's words, or over `candidates` only when given
   * (the same scores and order, since a memory's score depends on the store and itself alone).
   */
  search(
    words: readonly number[],
    boosts: FieldBoosts,
    k: number,
    accept: (doc: number) => boolean,
    candidates?: Candidates,
  ): number[] {
    // Scoring a memory from its own words costs some tens of postings' worth per query word: the
    // filters' few memories are scored that way, and the postings when those are fewer.
    const scoreOwn =
      candidates !== undefined && candidates.length * words.length * OWN_WORD_COST < this.#postings(words);
    const order = scoreOwn
      ? this.#scoreCandidates(words, boosts, candidates)
      : this.#scorePostings(words, boosts, candidates);
    return this.#top(order, k, accept);
  }

  #postings(words: readonly number[]): number {
    let total = 0;
    for (const word of words) for (const start of this.#start) total += start[word + 1]! - start[word]!;
    return total;
  }

  #idf(field: number, word: number): number {
    const matching = this.#start[field]![word + 1]! - this.#start[field]![word]!;
    return Math.log(1 + (this.size - matching + 0.5) / (matching + 0.5));
  }

  #weight(field: number, idf: number, count: number, length: number, boost: number): number {
    const raw = idf * (D + (count * (K + 1)) / (count + K * (1 - B + (B * length) / this.#average[field]!)));
    return boost * raw;
  }

  /** Every posting of every query word, in MiniSearch's order: word occurrence, then field, then store order. */
  #scorePostings(words: readonly number[], boosts: FieldBoosts, candidates: Candidates): number[] {
    const search = this.#begin();
    const order: number[] = [];
    // Memories the filters cannot let through are passed over: no other memory's score depends on theirs.
    if (candidates) for (const doc of candidates) this.#candidateMark[doc] = search;
    const distinct = distinctIndexes(words);
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const mark = ++this.#wordMarks;
      const touched: number[] = [];
      for (let f = 0; f < FIELD_COUNT; f++) {
        const boost = boosts[FIELDS[f]!];
        if (boost === 0) continue;
        const start = this.#start[f]!;
        const from = start[word]!;
        const to = start[word + 1]!;
        if (from === to) continue;
        const idf = this.#idf(f, word);
        const docs = this.#docs[f]!;
        const counts = this.#counts[f]!;
        const lengths = this.#lengths[f]!;
        for (let p = from; p < to; p++) {
          const doc = docs[p]!;
          if (candidates && this.#candidateMark[doc] !== search) continue;
          const weight = this.#weight(f, idf, counts[p]!, lengths[doc]!, boost);
          if (this.#wordMark[doc] === mark) this.#wordScore[doc]! += weight;
          else {
            this.#wordMark[doc] = mark;
            this.#wordScore[doc] = weight;
            touched.push(doc);
          }
        }
      }
      this.#addWord(touched, search, distinct[w]!, order);
    }
    return order;
  }

  /** The same scores for the given memories only, each from its own words. */
  #scoreCandidates(words: readonly number[], boosts: FieldBoosts, candidates: readonly number[]): number[] {
    const search = this.#begin();
    const distinct = distinctIndexes(words);
    const idf = words.flatMap((word) => FIELDS.map((_, f) => this.#idf(f, word)));
    const first: Array<{ doc: number; at: number }> = [];
    const one = [0];
    for (const doc of candidates) {
      let at = -1;
      one[0] = doc;
      for (let w = 0; w < words.length; w++) {
        let hit = false;
        for (let f = 0; f < FIELD_COUNT; f++) {
          const boost = boosts[FIELDS[f]!];
          const own = this.#words[doc * FIELD_COUNT + f]!;
          const i = boost === 0 ? -1 : own.ids.indexOf(words[w]!);
          if (i < 0) continue;
          const weight = this.#weight(f, idf[w * FIELD_COUNT + f]!, own.counts[i]!, this.#lengths[f]![doc]!, boost);
          if (hit) this.#wordScore[doc]! += weight;
          else this.#wordScore[doc] = weight;
          if (at < 0) at = w * FIELD_COUNT + f;
          hit = true;
        }
        if (hit) this.#addWord(one, search, distinct[w]!, []);
      }
      if (at >= 0) first.push({ doc, at });
    }
    // MiniSearch meets a memory first at the query word and field of its first match, then in store order.
    return first.sort((a, b) => a.at - b.at || a.doc - b.doc).map((entry) => entry.doc);
  }

  /** Adds one query word's scores to the running ones; a memory met for the first time joins `order`. */
  #addWord(touched: readonly number[], search: number, distinct: number, order: number[]): void {
    for (const doc of touched) {
      if (this.#queryMark[doc] !== search) {
        this.#queryMark[doc] = search;
        this.#score[doc] = this.#wordScore[doc]!;
        this.#matched[doc] = 0;
        order.push(doc);
      } else this.#score[doc]! += this.#wordScore[doc]!;
      if (distinct < 32) this.#matched[doc]! |= 1 << distinct;
      else {
        let past = this.#matchedPast32.get(doc);
        if (!past) this.#matchedPast32.set(doc, (past = new Set()));
        past.add(distinct);
      }
    }
  }

  #begin(): number {
    if (this.#matchedPast32.size > 0) this.#matchedPast32 = new Map();
    return ++this.#searches;
  }

  /** How many distinct query words the memory matched: MiniSearch multiplies its score by it. */
  #quality(doc: number): number {
    return popCount(this.#matched[doc]!) + (this.#matchedPast32.get(doc)?.size ?? 0) || 1;
  }

  /** The best `k` of `order` that `accept` lets through; equal scores keep `order`. */
  #top(order: readonly number[], k: number, accept: (doc: number) => boolean): number[] {
    const best: Array<{ doc: number; score: number }> = [];
    for (const doc of order) {
      const score = this.#score[doc]! * this.#quality(doc);
      if (best.length === k && score <= best[k - 1]!.score) continue;
      if (!accept(doc)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < score) at--;
      best.splice(at, 0, { doc, score });
      if (best.length > k) best.pop();
    }
    return best.map((entry) => entry.doc);
  }
}

/** Each query word's index among the query's distinct words, in order of first use. */
function distinctIndexes(words: readonly number[]): number[] {
  const seen = new Map<number, number>();
  return words.map((word) => {
    let index = seen.get(word);
    if (index === undefined) seen.set(word, (index = seen.size));
    return index;
  });
}

function popCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}
