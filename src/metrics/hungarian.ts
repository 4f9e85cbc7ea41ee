/**
 * Maximum-weight one-to-one assignment between rows and columns (Kuhn–Munkres with potentials,
 * O(n² m) for n ≤ m). Only pairs with a positive weight are returned.
 */
export function maxWeightAssignment(weights: number[][]): Array<[number, number]> {
  const rows = weights.length;
  const cols = rows === 0 ? 0 : weights[0]!.length;
  if (rows === 0 || cols === 0) return [];
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  const cost = (i: number, j: number) => -(transposed ? weights[j]![i]! : weights[i]![j]!);

  // 1-based arrays as in the classic formulation; p[j] = row assigned to column j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const current = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (current < minv[j]!) {
          minv[j] = current;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const pairs: Array<[number, number]> = [];
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    const [row, col] = transposed ? [j - 1, p[j]! - 1] : [p[j]! - 1, j - 1];
    if (weights[row]![col]! > 0) pairs.push([row, col]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/**
 * The same assignment on a sparse bipartite graph, solved per connected component so a
 * conversation with thousands of candidates costs what its overlapping groups cost.
 */
export function sparseMaxWeightAssignment(
  rows: number,
  cols: number,
  edges: Array<{ row: number; col: number; weight: number }>,
): Array<[number, number]> {
  const parent = Array.from({ length: rows + cols }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const e of edges) parent[find(e.row)] = find(rows + e.col);
  const components = new Map<number, Array<{ row: number; col: number; weight: number }>>();
  for (const e of edges) {
    const root = find(e.row);
    let group = components.get(root);
    if (!group) components.set(root, (group = []));
    group.push(e);
  }
  const pairs: Array<[number, number]> = [];
  for (const group of components.values()) {
    const rowIds = [...new Set(group.map((e) => e.row))];
    const colIds = [...new Set(group.map((e) => e.col))];
    const rowIndex = new Map(rowIds.map((r, i) => [r, i]));
    const colIndex = new Map(colIds.map((c, i) => [c, i]));
    const matrix = rowIds.map(() => new Array<number>(colIds.length).fill(0));
    for (const e of group) matrix[rowIndex.get(e.row)!]![colIndex.get(e.col)!] = e.weight;
    for (const [r, c] of maxWeightAssignment(matrix)) pairs.push([rowIds[r]!, colIds[c]!]);
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
