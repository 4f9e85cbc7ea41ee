/**
 * A map of at most `limit` entries that forgets the least recently used one when full: a memo that
 * stays bounded however large the run, and keeps what is in use.
 */
export class LruCache<K, V> {
  // A Map iterates in insertion order: an entry put back on each use keeps the least recently used first.
  private readonly entries = new Map<K, V>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Expected \`limit\` to be a whole number from 1 and up, got ${limit}`);
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
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Hold `value` under `key` as the most recently used, forgetting the least recently used past `limit`. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }
}
