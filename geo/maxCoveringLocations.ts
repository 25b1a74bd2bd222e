import { approxDistanceMeters } from './approxDistanceMeters';

export interface CoveringProblem {
  /** demand points: [lon, lat] and a weight ≥ 0 (e.g. incidents aggregated to a small grid) */
  demand: { position: [number, number]; weight: number }[];
  /** candidate sites [lon, lat] */
  candidates: [number, number][];
  /** indexes into candidates that are always chosen (existing posts kept fixed) */
  fixed?: number[];
  /** how many candidates to choose in addition to `fixed` */
  k: number;
  /** a demand point is covered when within this distance (metres) of a chosen site */
  radiusMeters: number;
  /**
   * optional starting layout (indexes into candidates, length k, none of them fixed) for local
   * improvement, e.g. the existing posts when moving them; the result is never worse than it
   */
  start?: number[];
}

export interface CoveringSolution {
  /** the k chosen indexes, fixed ones excluded, in greedy order: largest added weight first */
  chosen: number[];
  /** total weight covered by the fixed and the chosen sites together */
  covered: number;
  /** total weight of all demand */
  total: number;
  /** weight covered by the fixed sites alone */
  coveredByFixed: number;
}

/** Local improvement stops after this many swaps even if one would still improve. */
const MAX_SWAPS = 1000;

/** Grid index bounds: at most this many cells along each axis. */
const MAX_CELLS_ACROSS = 2 ** 20;

/** Candidate → indexes of the demand points it covers, as compressed rows. */
interface CoverageSets {
  start: Int32Array;
  items: Int32Array;
}

/**
 * Maximal covering location problem: chooses `k` candidate sites, in addition to the `fixed`
 * ones, that together cover the most demand weight within `radiusMeters` (distances by
 * {@link approxDistanceMeters}; a point exactly at the radius is covered). Coverage sets come
 * from a grid index over the demand; sites are chosen greedily with lazy gain evaluation
 * (CELF), then improved by best-improvement 1-swaps (drop one chosen site, add one unchosen)
 * until no swap improves. With `start`, that layout is improved too and the better of the two
 * results is returned (the one from `start` on a tie). Deterministic: ties go to the lowest
 * index. Greedy alone is within 1 − 1/e of the optimum; the swaps usually close the gap.
 *
 * @example
 *   maxCoveringLocations({
 *     demand: [
 *       { position: [101.76, 36.66], weight: 5 },
 *       { position: [101.78, 36.66], weight: 2 },
 *     ],
 *     candidates: [[101.761, 36.66], [101.779, 36.66], [101.77, 36.66]],
 *     k: 1,
 *     radiusMeters: 500,
 *   }); // { chosen: [0], covered: 5, total: 7, coveredByFixed: 0 }
 */
export function maxCoveringLocations(p: CoveringProblem): CoveringSolution {
  checkProblem(p);
  const { demand, candidates, k } = p;
  const fixed = p.fixed ?? [];
  const weights = Float64Array.from(demand, (d) => d.weight);
  const cover = coverageSets(
    demand.map((d) => d.position),
    candidates,
    p.radiusMeters,
  );
  const isFixed = new Uint8Array(candidates.length);
  for (const f of fixed) isFixed[f] = 1;
  const free = candidates.map((_, c) => c).filter((c) => isFixed[c] === 0);

  const fixedCount = new Int32Array(demand.length);
  for (const f of fixed) addSite(cover, f, fixedCount);
  const coveredWith = (sites: readonly number[]): number => {
    const count = fixedCount.slice();
    for (const s of sites) addSite(cover, s, count);
    return coveredWeight(weights, count);
  };

  const greedy = lazyGreedy(cover, weights, free, k, fixedCount.slice());
  let best = improve(cover, weights, fixed, greedy);
  let bestCovered = coveredWith(best);
  if (p.start) {
    const fromStart = improve(cover, weights, fixed, p.start);
    const startCovered = coveredWith(fromStart);
    if (startCovered >= bestCovered) {
      best = fromStart;
      bestCovered = startCovered;
    }
  }

  let total = 0;
  for (const w of weights) total += w;
  return {
    chosen: lazyGreedy(cover, weights, best, k, fixedCount.slice()),
    covered: bestCovered,
    total,
    coveredByFixed: coveredWeight(weights, fixedCount),
  };
}

function checkProblem(p: CoveringProblem): void {
  const fail = (what: string): never => {
    throw new Error(`maxCoveringLocations: ${what}`);
  };
  const { demand, candidates, k, radiusMeters } = p;
  if (!Array.isArray(demand)) fail('demand must be an array');
  if (!Array.isArray(candidates)) fail('candidates must be an array');
  const isPosition = (q: unknown): boolean =>
    Array.isArray(q) && q.length >= 2 && Number.isFinite(q[0]) && Number.isFinite(q[1]);
  demand.forEach((d, i) => {
    if (!isPosition(d?.position)) fail(`demand[${i}].position must be [lon, lat] finite numbers`);
    if (!Number.isFinite(d?.weight) || d.weight < 0) {
      fail(`demand[${i}].weight must be a finite number ≥ 0, got ${d?.weight}`);
    }
  });
  candidates.forEach((c, i) => {
    if (!isPosition(c)) fail(`candidates[${i}] must be [lon, lat] finite numbers`);
  });
  if (!Number.isFinite(radiusMeters) || radiusMeters <= 0) {
    fail(`radiusMeters must be a positive number, got ${radiusMeters}`);
  }
  const checkIndexes = (name: string, indexes: unknown): void => {
    if (!Array.isArray(indexes)) fail(`${name} must be an array of candidate indexes`);
    const seen = new Set<number>();
    (indexes as unknown[]).forEach((c, i) => {
      if (!Number.isInteger(c) || (c as number) < 0 || (c as number) >= candidates.length) {
        fail(`${name}[${i}] = ${String(c)} is not a candidate index (0…${candidates.length - 1})`);
      }
      if (seen.has(c as number)) fail(`${name} lists candidate ${String(c)} twice`);
      seen.add(c as number);
    });
  };
  const fixed = p.fixed ?? [];
  checkIndexes('fixed', fixed);
  const available = candidates.length - fixed.length;
  if (!Number.isInteger(k) || k < 0) fail(`k must be a whole number ≥ 0, got ${k}`);
  if (k > available) {
    fail(
      `k = ${k} is more than the ${available} candidates available ` +
        `(${candidates.length} candidates, ${fixed.length} fixed)`,
    );
  }
  if (p.start !== undefined) {
    checkIndexes('start', p.start);
    if (p.start.length !== k) fail(`start must list k = ${k} candidates, got ${p.start.length}`);
    const both = p.start.find((c) => fixed.includes(c));
    if (both !== undefined) fail(`start lists candidate ${both}, which is fixed`);
  }
}

/**
 * For each candidate, the demand points within `radius` metres (by {@link approxDistanceMeters}),
 * in index order. The demand goes into a grid of cells at least `radius` wide both ways, so only
 * the 3 × 3 cells around a candidate can hold points it covers; cheap bounds settle the points
 * clearly inside or outside and the distance helper decides the rest.
 */
function coverageSets(
  demand: readonly [number, number][],
  candidates: readonly [number, number][],
  radius: number,
): CoverageSets {
  const n = demand.length;
  const start = new Int32Array(candidates.length + 1);
  if (n === 0) return { start, items: new Int32Array(0) };
  const lons = Float64Array.from(demand, (q) => q[0]);
  const lats = Float64Array.from(demand, (q) => q[1]);

  let lon0 = Infinity;
  let lat0 = Infinity;
  let lon1 = -Infinity;
  let lat1 = -Infinity;
  let maxAbsLat = 0;
  for (let i = 0; i < n; i++) {
    lon0 = Math.min(lon0, lons[i]!);
    lon1 = Math.max(lon1, lons[i]!);
    lat0 = Math.min(lat0, lats[i]!);
    lat1 = Math.max(lat1, lats[i]!);
    maxAbsLat = Math.max(maxAbsLat, Math.abs(lats[i]!));
  }
  for (const [, lat] of candidates) maxAbsLat = Math.max(maxAbsLat, Math.abs(lat));

  // The helper measures m · √((Δlon · cos φ̄)² + Δlat²), m metres per degree of latitude and φ̄
  // the pair's mean latitude, |φ̄| ≤ maxAbsLat. So within `radius`, |Δlat| ≤ radius / m and
  // |Δlon| ≤ radius / (m · cos maxAbsLat). A hair of margin absorbs rounding.
  const RAD = Math.PI / 180;
  const m = approxDistanceMeters([0, 0], [0, 1]);
  const cosMin = Math.max(Math.cos(Math.min(maxAbsLat, 90) * RAD), 1e-12);
  const reachLat = (radius / m) * (1 + 1e-9);
  const reachLon = (radius / (m * cosMin)) * (1 + 1e-9);
  const cellLat = Math.max(reachLat, (lat1 - lat0) / MAX_CELLS_ACROSS);
  const cellLon = Math.max(reachLon, (lon1 - lon0) / MAX_CELLS_ACROSS);
  const nx = Math.floor((lon1 - lon0) / cellLon) + 1;
  const ny = Math.floor((lat1 - lat0) / cellLat) + 1;

  // demand sorted by cell (row-major, then index): the three cells of a row are contiguous
  const cellOf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cellOf[i] =
      Math.floor((lats[i]! - lat0) / cellLat) * nx + Math.floor((lons[i]! - lon0) / cellLon);
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => cellOf[a]! - cellOf[b]! || a - b,
  );
  const sortedCells = Float64Array.from(order, (i) => cellOf[i]!);
  const firstAtLeast = (key: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedCells[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // cos φ̄ is within e of the candidate's cos φ for any point within reachLat of it
  const e = (reachLat * RAD) / 2;
  const inside = (radius / m) ** 2 * (1 - 1e-9);
  const outside = (radius / m) ** 2 * (1 + 1e-9);
  let items = new Int32Array(Math.max(1024, 4 * n));
  let count = 0;
  candidates.forEach((site, c) => {
    const [lon, lat] = site;
    const cos = Math.cos(lat * RAD);
    const cosHigh = (cos + e) ** 2;
    const cosLow = Math.max(cos - e, 0) ** 2;
    const cx = Math.floor((lon - lon0) / cellLon);
    const cy = Math.floor((lat - lat0) / cellLat);
    const x0 = Math.max(0, cx - 1);
    const x1 = Math.min(nx - 1, cx + 1);
    const from = count;
    for (let y = Math.max(0, cy - 1); y <= Math.min(ny - 1, cy + 1) && x0 <= x1; y++) {
      const to = firstAtLeast(y * nx + x1 + 1);
      for (let s = firstAtLeast(y * nx + x0); s < to; s++) {
        const i = order[s]!;
        const dLat = lats[i]! - lat;
        const dLon = lons[i]! - lon;
        if (Math.abs(dLat) > reachLat || Math.abs(dLon) > reachLon) continue;
        const dLon2 = dLon * dLon;
        const dLat2 = dLat * dLat;
        if (dLon2 * cosLow + dLat2 > outside) continue;
        if (dLon2 * cosHigh + dLat2 <= inside || approxDistanceMeters(site, demand[i]!) <= radius) {
          if (count === items.length) {
            const grown = new Int32Array(2 * count);
            grown.set(items);
            items = grown;
          }
          items[count++] = i;
        }
      }
    }
    items.subarray(from, count).sort();
    start[c + 1] = count;
  });
  return { start, items: items.slice(0, count) };
}

/** Counts the demand points of `site` as covered once more. */
function addSite(cover: CoverageSets, site: number, count: Int32Array): void {
  for (let j = cover.start[site]!; j < cover.start[site + 1]!; j++) count[cover.items[j]!]! += 1;
}

/** Total weight of the demand points covered at least once (summed in index order). */
function coveredWeight(weights: Float64Array, count: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (count[i]! > 0) sum += weights[i]!;
  return sum;
}

/**
 * Picks `picks` sites from `pool` one at a time, each adding the most uncovered weight (ties:
 * lowest index), with lazy evaluation: gains only shrink as sites are added (submodularity),
 * so a stale gain is an upper bound and only the top of the queue needs recomputing.
 * `count` (how often each demand point is covered so far) is updated in place.
 */
function lazyGreedy(
  cover: CoverageSets,
  weights: Float64Array,
  pool: readonly number[],
  picks: number,
  count: Int32Array,
): number[] {
  const gainOf = (c: number): number => {
    let g = 0;
    for (let j = cover.start[c]!; j < cover.start[c + 1]!; j++) {
      const i = cover.items[j]!;
      if (count[i] === 0) g += weights[i]!;
    }
    return g;
  };
  const m = cover.start.length - 1;
  const bound = new Float64Array(m); // c's gain when last computed: at least its gain now
  const stamp = new Int32Array(m); // the step at which it was computed
  for (const c of pool) bound[c] = gainOf(c);
  const before = (a: number, b: number): boolean =>
    bound[a]! > bound[b]! || (bound[a] === bound[b] && a < b);
  const heap = [...pool];
  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && before(heap[l]!, heap[top]!)) top = l;
      if (r < heap.length && before(heap[r]!, heap[top]!)) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);

  const chosen: number[] = [];
  for (let step = 0; step < picks; step++) {
    for (;;) {
      const top = heap[0]!;
      if (stamp[top] === step) {
        chosen.push(top);
        addSite(cover, top, count);
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
        siftDown(0);
        break;
      }
      bound[top] = gainOf(top);
      stamp[top] = step;
      siftDown(0);
    }
  }
  return chosen;
}

/**
 * Best-improvement 1-swap local search from `initial`: each round makes the swap (drop a
 * chosen site, add an unchosen, non-fixed one) that gains the most weight, ties going to the
 * lowest added then the lowest dropped index, until no swap gains or {@link MAX_SWAPS}.
 */
function improve(
  cover: CoverageSets,
  weights: Float64Array,
  fixed: readonly number[],
  initial: readonly number[],
): number[] {
  const sites = [...initial];
  const k = sites.length;
  const m = cover.start.length - 1;
  if (k === 0) return sites;
  let total = 0;
  for (const w of weights) total += w;
  const minGain = total * 1e-12; // below this a "gain" is rounding noise

  const count = new Int32Array(weights.length);
  const owner = new Int32Array(weights.length); // the one site covering a point counted once
  const taken = new Uint8Array(m);
  const slotOf = new Int32Array(m);
  const loss = new Float64Array(k);
  const bonus = new Float64Array(k);
  const touched = new Uint8Array(k);
  for (const f of fixed) taken[f] = 1;

  for (let swap = 0; swap < MAX_SWAPS; swap++) {
    count.fill(0);
    slotOf.fill(-1);
    for (const s of [...fixed, ...sites]) {
      for (let j = cover.start[s]!; j < cover.start[s + 1]!; j++) {
        const i = cover.items[j]!;
        if (count[i] === 0) owner[i] = s;
        count[i]! += 1;
      }
    }
    // loss[q]: the weight that only sites[q] covers
    sites.forEach((s, q) => {
      taken[s] = 1;
      slotOf[s] = q;
      loss[q] = 0;
      for (let j = cover.start[s]!; j < cover.start[s + 1]!; j++) {
        const i = cover.items[j]!;
        if (count[i] === 1) loss[q] += weights[i]!;
      }
    });
    const byLoss = sites
      .map((_, q) => q)
      .sort((a, b) => loss[a]! - loss[b]! || sites[a]! - sites[b]!);

    let bestGain = minGain;
    let bestAdd = -1;
    let bestSlot = -1;
    const slots: number[] = [];
    for (let a = 0; a < m; a++) {
      if (taken[a]) continue;
      // adding a gains its uncovered weight, plus bonus[q] if sites[q] is dropped: the weight
      // only sites[q] covers that a covers too
      let gain = 0;
      for (let j = cover.start[a]!; j < cover.start[a + 1]!; j++) {
        const i = cover.items[j]!;
        if (count[i] === 0) gain += weights[i]!;
        else if (count[i] === 1) {
          const q = slotOf[owner[i]!]!;
          if (q < 0) continue; // covered by a fixed site
          if (!touched[q]) {
            touched[q] = 1;
            slots.push(q);
          }
          bonus[q]! += weights[i]!;
        }
      }
      // the best slot to drop: among those a overlaps, or the cheapest one it does not
      let slot = byLoss.find((q) => !touched[q]) ?? -1;
      let value = slot >= 0 ? -loss[slot]! : -Infinity;
      for (const q of slots) {
        const v = bonus[q]! - loss[q]!;
        if (v > value || (v === value && sites[q]! < sites[slot]!)) {
          value = v;
          slot = q;
        }
        touched[q] = 0;
        bonus[q] = 0;
      }
      slots.length = 0;
      if (gain + value > bestGain) {
        bestGain = gain + value;
        bestAdd = a;
        bestSlot = slot;
      }
    }
    if (bestAdd < 0) break;
    taken[sites[bestSlot]!] = 0;
    sites[bestSlot] = bestAdd;
  }
  return sites;
}
