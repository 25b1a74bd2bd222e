import { simplify } from '@turf/turf';
import type { LineString, Polygon } from 'geojson';

/**
 * A line or a one-ring polygon with at most `maxVertices` positions (a ring's closing position
 * counts): unchanged when it already has no more, otherwise Turf's `simplify` (Douglas-Peucker,
 * high quality) with about the smallest tolerance that brings it under the bound (doubled from a
 * ten-thousandth of the shape's extent, then narrowed by bisection). The ends of a line stay
 * where they are. For freehand drawings, which a pointer samples far more densely than needed.
 *
 * @example
 * simplifyToVertices({ type: 'LineString', coordinates: thousandsOfPositions }, 2000)
 *   .coordinates.length; // ≤ 2000
 */
export function simplifyToVertices<G extends LineString | Polygon>(g: G, maxVertices: number): G {
  const least = g.type === 'Polygon' ? 4 : 2;
  if (!Number.isInteger(maxVertices) || maxVertices < least) {
    throw new Error(
      `simplifyToVertices: maxVertices must be an integer of at least ${least} for a ${g.type}, got ${maxVertices}`,
    );
  }
  if (g.type === 'Polygon' && g.coordinates.length !== 1) {
    throw new Error('simplifyToVertices: a polygon must have exactly one ring');
  }
  const positions = g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates;
  if (positions.length <= maxVertices) return g;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x, y] of positions) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error('simplifyToVertices: every position must be a finite [lon, lat]');
    }
    minX = Math.min(minX, x!);
    maxX = Math.max(maxX, x!);
    minY = Math.min(minY, y!);
    maxY = Math.max(maxY, y!);
  }
  let tolerance = Math.hypot(maxX - minX, maxY - minY) / 10_000 || 1e-9;
  const count = (x: G) => (x.type === 'Polygon' ? x.coordinates[0]!.length : x.coordinates.length);
  const at = (tolerance: number) => simplify(g, { tolerance, highQuality: true });
  // doubling from 1e-4 of the extent passes the extent itself within 14 steps, where a line is
  // down to its two ends and a ring to Turf's least valid one; the bound only guards the loop
  for (let step = 0; step < 64; step++, tolerance *= 2) {
    let best = at(tolerance);
    if (count(best) > maxVertices) continue;
    // the bound lies between half this tolerance and this one: narrow it down, keeping detail
    let lo = tolerance / 2;
    let hi = tolerance;
    for (let k = 0; k < 8 && step > 0; k++) {
      const mid = (lo + hi) / 2;
      const m = at(mid);
      if (count(m) <= maxVertices) [hi, best] = [mid, m];
      else lo = mid;
    }
    return best;
  }
  throw new Error('simplifyToVertices: could not simplify the shape enough');
}
