import type { MultiPolygon, Polygon, Position } from 'geojson';
import { rewindArea } from './rewindArea';

/**
 * Rounds a Polygon or MultiPolygon to a number of decimals and repairs what rounding breaks:
 * repeated positions, zero-width spikes (A-B-A and back-tracking collinear points), tiny
 * loops where an edge now crosses one two or three places further on, and rings that collapse
 * are removed; the result is wound as RFC 7946 asks (exteriors counter-clockwise).
 * Returns a Polygon when one part is left, a MultiPolygon when several are, null when none is.
 *
 * @example
 * roundArea({ type: 'Polygon', coordinates: [[[0, 0], [1.0000004, 0], [1, 1], [0, 0]]] }, 6);
 * // { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }
 */
export function roundArea(
  geom: Polygon | MultiPolygon,
  decimals = 6,
): Polygon | MultiPolygon | null {
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new Error('roundArea: expected a Polygon or MultiPolygon');
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new Error('roundArea: decimals must be an integer from 0 to 10');
  }
  const scale = 10 ** decimals;
  const polygons = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const kept: Position[][][] = [];
  for (const rings of polygons) {
    const outer = rings[0] && cleanRing(rings[0], scale);
    if (!outer) continue;
    const holes = rings.slice(1).map((r) => cleanRing(r, scale));
    kept.push([outer, ...holes.filter((h): h is Position[] => h !== null)]);
  }
  if (kept.length === 0) return null;
  const out: Polygon | MultiPolygon =
    kept.length === 1
      ? { type: 'Polygon', coordinates: kept[0]! }
      : { type: 'MultiPolygon', coordinates: kept };
  return rewindArea(out);
}

/** Rounds one ring on an integer grid and removes what became degenerate; null if it collapses. */
function cleanRing(ring: Position[], scale: number): Position[] | null {
  const pts: [number, number][] = [];
  for (const p of ring) {
    const q: [number, number] = [Math.round(p[0]! * scale), Math.round(p[1]! * scale)];
    const last = pts[pts.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) pts.push(q);
  }
  while (pts.length > 1 && same(pts[0]!, pts[pts.length - 1]!)) pts.pop();
  for (let changed = true; changed;) {
    const before = pts.length;
    removeSpikes(pts);
    removeLocalKinks(pts);
    changed = pts.length !== before;
  }
  if (pts.length < 3) return null;
  let twice = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    twice += a[0] * b[1] - b[0] * a[1];
  }
  if (twice === 0) return null;
  const out = pts.map(([x, y]) => [x / scale, y / scale]);
  out.push([...out[0]!]);
  return out;
}

/** Removes repeated points, A-B-A spikes and back-tracking collinear points, in place. */
function removeSpikes(pts: [number, number][]): void {
  let changed = true;
  while (changed && pts.length >= 3) {
    changed = false;
    for (let i = 0; i < pts.length && pts.length >= 3; i++) {
      const a = pts[(i - 1 + pts.length) % pts.length]!;
      const b = pts[i]!;
      const c = pts[(i + 1) % pts.length]!;
      const abx = b[0] - a[0];
      const aby = b[1] - a[1];
      const bcx = c[0] - b[0];
      const bcy = c[1] - b[1];
      const backtracks = abx * bcy - aby * bcx === 0 && abx * bcx + aby * bcy <= 0;
      if (same(a, c) || backtracks || same(a, b)) {
        pts.splice(i, 1);
        changed = true;
        i--;
      }
    }
  }
}

/**
 * Rounding can make an edge cross the edge two or three places further on (a tiny loop where
 * two nearly parallel edges met). Cuts such loops out: the vertices between the crossing edges
 * are removed. Works in place on integer coordinates, so the tests are exact.
 */
function removeLocalKinks(pts: [number, number][]): void {
  for (let changed = true; changed && pts.length >= 4;) {
    changed = false;
    const n = pts.length;
    for (let i = 0; i < n && !changed; i++) {
      for (let gap = 2; gap <= 3 && gap < n - 1; gap++) {
        const a = pts[i]!;
        const b = pts[(i + 1) % n]!;
        const c = pts[(i + gap) % n]!;
        const d = pts[(i + gap + 1) % n]!;
        if (!properlyCross(a, b, c, d)) continue;
        // drop the vertices after a up to c (they form the loop)
        const drop = new Set(Array.from({ length: gap }, (_, k) => (i + 1 + k) % n));
        const kept = pts.filter((_, k) => !drop.has(k));
        pts.splice(0, pts.length, ...kept);
        changed = true;
        break;
      }
    }
  }
}

function properlyCross(
  a: [number, number],
  b: [number, number],
  c: [number, number],
  d: [number, number],
): boolean {
  const o = (p: [number, number], q: [number, number], r: [number, number]) =>
    Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

function same(a: [number, number], b: [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
