/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function createRng(seed: number): () => number {
  // The state is kept as a signed 32-bit integer (the same bits as mulberry32's unsigned one): a
  // value V8 holds unboxed, where an unsigned one past 2^31 is a new heap number at every draw.
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed derived from a base seed and a label, so each sampled quantity has its own stream. */
export function deriveSeed(seed: number, label: string): number {
  let hash = seed >>> 0;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** `k` distinct indexes of `0..n-1` drawn without replacement (partial Fisher–Yates), ascending. */
export function sampleIndexes(n: number, k: number, rng: () => number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const take = Math.min(k, n);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take).sort((a, b) => a - b);
}

/**
 * A number in [0, 1) that depends only on the seed, the label and the key: a seeded hash of one item,
 * so a sample drawn by it keeps each item's membership whatever else is in the list (a shard of the
 * dataset draws the same items as the whole).
 */
export function seededUnit(seed: number, label: string, key: string): number {
  return createRng(deriveSeed(seed, `${label}\u0000${key}`))();
}

/** Keys ordered by their seeded hash (ties by key): a seeded shuffle that does not depend on the list. */
export function seededRankOrder(keys: string[], seed: number, label: string): string[] {
  const ranked = keys.map((key) => ({ key, rank: seededUnit(seed, label, key) }));
  ranked.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return ranked.map((r) => r.key);
}

/** A standard normal draw (Box–Muller) from a uniform stream. */
export function normalVariate(rng: () => number): number {
  const u = 1 - rng(); // (0, 1]: log(0) never happens
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; shapes below 1 boosted by U^(1/shape)). */
export function gammaVariate(shape: number, rng: () => number): number {
  if (shape < 1) return gammaVariate(shape + 1, rng) * (1 - rng()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalVariate(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(a, b) draw, as the share of two Gamma draws. */
export function betaVariate(a: number, b: number, rng: () => number): number {
  const x = gammaVariate(a, rng);
  const y = gammaVariate(b, rng);
  return x / (x + y);
}
