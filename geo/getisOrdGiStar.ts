/**
 * Getis-Ord Gi* hot spot statistic on a grid of counts, as ArcGIS's Hot Spot Analysis defines
 * it: binary weights for every cell within `bandCells` (Euclidean, in cell units) of a cell,
 * the cell itself included; z = (Σ w·x − x̄ Σ w) / (S √((n Σ w² − (Σ w)²) / (n − 1))) with x̄ and S
 * the mean and standard deviation over all n cells. Two-tailed p-values; classes at 90/95/99%
 * confidence, optionally with the False Discovery Rate correction (Benjamini–Hochberg per level).
 *
 * @example
 *   getisOrdGiStar([{ i: 0, j: 0, count: 3 }, { i: 1, j: 0, count: 5 }], { bandCells: 1 });
 */
import { errorFunction } from 'simple-statistics';

export interface GridCount {
  i: number;
  j: number;
  count: number;
}

export type HotSpotClass = 'hot99' | 'hot95' | 'hot90' | 'cold99' | 'cold95' | 'cold90' | 'none';

export interface GiStar extends GridCount {
  z: number;
  p: number;
  class: HotSpotClass;
}

/** |z| thresholds of 99, 95 and 90% confidence (two-tailed). */
const LEVELS = [
  { alpha: 0.01, z: 2.576, hot: 'hot99', cold: 'cold99' },
  { alpha: 0.05, z: 1.96, hot: 'hot95', cold: 'cold95' },
  { alpha: 0.1, z: 1.645, hot: 'hot90', cold: 'cold90' },
] as const;

/** Two-tailed p-value of a standard normal z. */
function pValue(z: number): number {
  // 2(1 − Φ(|z|)) = 1 − erf(|z| / √2)
  return Math.max(0, Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
}

export function getisOrdGiStar(
  cells: GridCount[],
  opts: { bandCells: number; fdr?: boolean },
): GiStar[] {
  const { bandCells } = opts;
  if (!Number.isFinite(bandCells) || bandCells < 1)
    throw new Error(`bandCells must be ≥ 1, got ${bandCells}`);
  const n = cells.length;
  if (n < 3) throw new Error(`Gi* needs at least 3 cells, got ${n}`);
  for (const c of cells)
    if (
      !Number.isInteger(c.i) ||
      !Number.isInteger(c.j) ||
      !Number.isFinite(c.count) ||
      c.count < 0
    )
      throw new Error(
        `cells must hold whole-number i, j and a count ≥ 0, got ${JSON.stringify(c)}`,
      );

  const find = cellIndex(cells);

  let sum = 0;
  let sumSq = 0;
  for (const c of cells) {
    sum += c.count;
    sumSq += c.count * c.count;
  }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));

  const r = Math.floor(bandCells);
  const offsets: [number, number][] = [];
  for (let di = -r; di <= r; di++)
    for (let dj = -r; dj <= r; dj++)
      if (di * di + dj * dj <= bandCells * bandCells) offsets.push([di, dj]);

  const out: GiStar[] = cells.map((c) => {
    // (the lookups below are the work: cells × offsets, see gistarWork)
    let wx = 0;
    let w = 0;
    for (const [di, dj] of offsets) {
      const k = find(c.i + di, c.j + dj);
      if (k < 0) continue;
      wx += cells[k]!.count;
      w += 1;
    }
    // binary weights: Σw² = Σw
    const denom = s * Math.sqrt((n * w - w * w) / (n - 1));
    const z = denom > 0 ? (wx - mean * w) / denom : 0;
    return { ...c, z, p: pValue(z), class: 'none' as HotSpotClass };
  });

  for (const level of LEVELS) {
    // without FDR a cell is significant at a level when |z| passes its threshold; with FDR when
    // its p-value is at or below the Benjamini–Hochberg cut-off for that level
    let cut = -1;
    if (opts.fdr) {
      const ps = out.map((c) => c.p).sort((a, b) => a - b);
      for (let k = ps.length; k >= 1; k--)
        if (ps[k - 1]! <= (k / ps.length) * level.alpha) {
          cut = ps[k - 1]!;
          break;
        }
    }
    for (const c of out) {
      if (c.class !== 'none') continue;
      const significant = opts.fdr ? c.p <= cut : Math.abs(c.z) >= level.z;
      if (significant) c.class = c.z > 0 ? level.hot : level.cold;
    }
  }
  return out;
}

/** The number of grid offsets within `bandCells` (the cell itself included): each cell's neighbours at most. */
export function bandOffsets(bandCells: number): number {
  const r = Math.floor(bandCells);
  let k = 0;
  for (let di = -r; di <= r; di++)
    for (let dj = -r; dj <= r; dj++) if (di * di + dj * dj <= bandCells * bandCells) k++;
  return k;
}

/** Where cell (i, j) is in `cells` (−1: not there), by a dense index when the cells are compact. */
function cellIndex(cells: GridCount[]): (i: number, j: number) => number {
  let i0 = Infinity;
  let i1 = -Infinity;
  let j0 = Infinity;
  let j1 = -Infinity;
  for (const c of cells) {
    i0 = Math.min(i0, c.i);
    i1 = Math.max(i1, c.i);
    j0 = Math.min(j0, c.j);
    j1 = Math.max(j1, c.j);
  }
  const w = i1 - i0 + 1;
  const h = j1 - j0 + 1;
  if (w * h <= Math.max(4 * cells.length, 1 << 20)) {
    const dense = new Int32Array(w * h).fill(-1);
    cells.forEach((c, k) => (dense[(c.i - i0) * h + (c.j - j0)] = k));
    return (i, j) => (i < i0 || i > i1 || j < j0 || j > j1 ? -1 : dense[(i - i0) * h + (j - j0)]!);
  }
  const index = new Map<string, number>();
  cells.forEach((c, k) => index.set(`${c.i},${c.j}`, k));
  return (i, j) => index.get(`${i},${j}`) ?? -1;
}
