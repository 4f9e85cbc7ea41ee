interface Entry<K, V> {
  key: K;
  value: V;
  /** Toward the most recently used. */
  newer: Entry<K, V> | undefined;
  /** Toward the least recently used. */
  older: Entry<K, V> | undefined;
}

/**
 * A map of at most `limit` entries that forgets the least recently used one when full: a memo that
 * stays bounded however large the run, and keeps what is in use. The entries are also linked in order
 * of use, so a use moves one entry and a lookup stays a lookup (taking an entry out of a Map and
 * putting it back on every use left the Map so full of holes that lookups cost more than the work
 * they saved).
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, Entry<K, V>>();
  private newest: Entry<K, V> | undefined;
  private oldest: Entry<K, V> | undefined;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`Expected \`limit\` to be a whole number from 1 and up, got ${limit}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether `key` is held; unlike get, not a use. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value of `key`, now the most recently used, or undefined. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.touch(entry);
    return entry.value;
  }

  /** Hold `value` under `key` as the most recently used, forgetting the least recently used past `limit`. */
  set(key: K, value: V): void {
    const held = this.entries.get(key);
    if (held !== undefined) {
      held.value = value;
      this.touch(held);
      return;
    }
    const entry: Entry<K, V> = { key, value, newer: undefined, older: this.newest };
    if (this.newest) this.newest.newer = entry;
    this.newest = entry;
    this.oldest ??= entry;
    this.entries.set(key, entry);
    if (this.entries.size > this.limit) {
      const gone = this.oldest!;
      this.oldest = gone.newer;
      this.oldest!.older = undefined;
      this.entries.delete(gone.key);
    }
  }

  /** Make an entry the most recently used. */
  private touch(entry: Entry<K, V>): void {
    if (entry === this.newest) return;
    // Unlink it (it has a newer one, since it is not the newest)...
    entry.newer!.older = entry.older;
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    // ...and put it first.
    entry.older = this.newest;
    entry.newer = undefined;
    this.newest!.newer = entry;
    this.newest = entry;
  }
}
