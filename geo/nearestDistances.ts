import type { Position } from 'geojson';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * For each point, the distance in metres to the nearest of `sites` (Infinity without sites),
 * on a local flat approximation (the same as approxDistanceMeters: well under 0.1 % off across
 * a district of 20 km).
 *
 * @example
 * nearestDistances({ lon: [101.7], lat: [36.6] }, [[101.7, 36.61]]); // Float64Array [≈ 1112]
 */
export function nearestDistances(
  points: { lon: ArrayLike<number>; lat: ArrayLike<number> },
  sites: readonly Position[],
): Float64Array {
  const n = points.lon.length;
  if (points.lat.length !== n) throw new Error('nearestDistances: lon and lat differ in length');
  const sx = new Float64Array(sites.length);
  const sy = new Float64Array(sites.length);
  for (const [i, s] of sites.entries()) {
    const [x, y] = s as [number, number];
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new Error(`nearestDistances: site ${i} is not a finite [lon, lat]`);
    sx[i] = x;
    sy[i] = y;
  }
  const out = new Float64Array(n).fill(Infinity);
  for (let k = 0; k < n; k++) {
    const x = points.lon[k]!;
    const y = points.lat[k]!;
    let best = Infinity;
    for (let i = 0; i < sx.length; i++) {
      const kx = Math.cos(((y + sy[i]!) / 2) * RAD);
      const dx = (sx[i]! - x) * kx;
      const dy = sy[i]! - y;
      const d2 = dx * dx + dy * dy;
      if (d2 < best) best = d2;
    }
    if (sx.length) out[k] = Math.sqrt(best) * RAD * EARTH_RADIUS_M;
  }
  return out;
}
