import { dice } from "./tokens.js";

/**
 * Finds, among the token sets added so far, the first whose Dice similarity with a query reaches a
 * threshold, without comparing every pair: a set-similarity join with prefix filtering. Two sets
 * with Dice ≥ t share at least ⌈t·|A| / (2 − t)⌉ tokens, so, with tokens in one global order (rarest
 * first), they share a token among the first |A| − ⌈t·|A| / (2 − t)⌉ + 1 of each. Each set is
 * indexed under that prefix only; at t = 0.9 that is its single rarest token.
 */
export class SimilarityIndex {
  private readonly rank: Map<string, number>;
  private readonly postings = new Map<string, number[]>();
  private readonly sets: Array<ReadonlySet<string> | undefined> = [];
  private first: number | undefined;

  /** `universe`: every set that will be added or queried, to order tokens by rarity. */
  constructor(
    universe: Iterable<ReadonlySet<string>>,
    readonly threshold: number,
  ) {
    const frequency = new Map<string, number>();
    for (const set of universe) for (const token of set) frequency.set(token, (frequency.get(token) ?? 0) + 1);
    const ordered = [...frequency.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.rank = new Map(ordered.map(([token], i) => [token, i]));
  }

  private prefix(tokens: ReadonlySet<string>): string[] {
    const sorted = [...tokens].sort(
      (a, b) => (this.rank.get(a) ?? Infinity) - (this.rank.get(b) ?? Infinity) || (a < b ? -1 : 1),
    );
    const overlap = Math.ceil((this.threshold * sorted.length) / (2 - this.threshold) - 1e-9);
    return sorted.slice(0, Math.max(1, sorted.length - overlap + 1));
  }

  /** The smallest id among added sets similar to `tokens`, or undefined. */
  firstSimilar(tokens: ReadonlySet<string>): number | undefined {
    // At 0 every pair is similar: the first set added wins.
    if (this.threshold <= 0) return this.first;
    let best: number | undefined;
    for (const token of this.prefix(tokens)) {
      for (const id of this.postings.get(token) ?? []) {
        if (best !== undefined && id >= best) break;
        if (dice(this.sets[id]!, tokens) >= this.threshold) best = id;
      }
    }
    return best;
  }

  /** Add a set under `id`; ids must be added in increasing order. */
  add(id: number, tokens: ReadonlySet<string>): void {
    this.sets[id] = tokens;
    this.first ??= id;
    for (const token of this.prefix(tokens)) {
      let list = this.postings.get(token);
      if (!list) this.postings.set(token, (list = []));
      list.push(id);
    }
  }
}
