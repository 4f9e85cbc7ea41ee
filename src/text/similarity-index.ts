import { dice } from "./tokens.js";

/** Up to this many sets, a query compares them all: cheaper than ranking the universe's tokens to index them. */
const SCAN_LIMIT = 32;

/**
 * Finds, among the token sets added so far, the first whose Dice similarity with a query reaches a
 * threshold, without comparing every pair: a set-similarity join with prefix filtering. Two sets
 * with Dice ≥ t share at least ⌈t·|A| / (2 − t)⌉ tokens, so, with tokens in one global order (rarest
 * first), they share a token among the first |A| − ⌈t·|A| / (2 − t)⌉ + 1 of each. Each set is
 * indexed under that prefix only; at t = 0.9 that is its single rarest token. While few sets are
 * added (most conversations' candidates), a query compares them all instead, with the same answer,
 * and the index is built once more are.
 */
export class SimilarityIndex {
  private index: { rank: Map<string, number>; postings: Map<string, number[]> } | undefined;
  private readonly sets: Array<ReadonlySet<string> | undefined> = [];
  private added = 0;
  private first: number | undefined;

  /** `universe`: every set that will be added or queried, to order tokens by rarity. */
  constructor(
    private readonly universe: ReadonlyArray<ReadonlySet<string>>,
    readonly threshold: number,
  ) {}

  private buildIndex(): void {
    const frequency = new Map<string, number>();
    for (const set of this.universe) for (const token of set) frequency.set(token, (frequency.get(token) ?? 0) + 1);
    const ordered = [...frequency.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.index = { rank: new Map(ordered.map(([token], i) => [token, i])), postings: new Map() };
    this.sets.forEach((tokens, id) => tokens && this.post(id, tokens));
  }

  private prefix(tokens: ReadonlySet<string>): string[] {
    const { rank } = this.index!;
    const sorted = [...tokens].sort(
      (a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : 1),
    );
    const overlap = Math.ceil((this.threshold * sorted.length) / (2 - this.threshold) - 1e-9);
    return sorted.slice(0, Math.max(1, sorted.length - overlap + 1));
  }

  private post(id: number, tokens: ReadonlySet<string>): void {
    const { postings } = this.index!;
    for (const token of this.prefix(tokens)) {
      let list = postings.get(token);
      if (!list) postings.set(token, (list = []));
      list.push(id);
    }
  }

  /** The smallest id among added sets similar to `tokens`, or undefined. */
  firstSimilar(tokens: ReadonlySet<string>): number | undefined {
    // At 0 every pair is similar: the first set added wins.
    if (this.threshold <= 0) return this.first;
    if (!this.index) {
      for (let id = 0; id < this.sets.length; id++) {
        const set = this.sets[id];
        if (set && dice(set, tokens) >= this.threshold) return id;
      }
      return undefined;
    }
    let best: number | undefined;
    for (const token of this.prefix(tokens)) {
      for (const id of this.index.postings.get(token) ?? []) {
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
    this.added++;
    if (this.index) this.post(id, tokens);
    else if (this.added > SCAN_LIMIT) this.buildIndex();
  }
}
