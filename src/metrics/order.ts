/** Code-unit order of two strings (not the locale's): the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first `limit` items in `order`: the same items whatever order they were added in. */
export function bounded<T>(items: T[], limit: number, order: (a: T, b: T) => number): T[] {
  return [...items].sort(order).slice(0, limit);
}
