import type { Position } from 'geojson';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Distance in metres between two [lon, lat] positions using the equirectangular
 * approximation: fast, and within 0.1% of the great-circle distance at city scale
 * (a few tens of kilometres).
 *
 * @example
 * approxDistanceMeters([101.75, 36.66], [101.76, 36.66]); // ≈ 892
 */
export function approxDistanceMeters(a: Position, b: Position): number {
  const [lon1, lat1] = a as [number, number];
  const [lon2, lat2] = b as [number, number];
  if (![lon1, lat1, lon2, lat2].every(Number.isFinite)) {
    throw new Error('approxDistanceMeters: positions must be [lon, lat] with finite numbers');
  }
  const x = (lon2 - lon1) * RAD * Math.cos(((lat1 + lat2) / 2) * RAD);
  const y = (lat2 - lat1) * RAD;
  return Math.hypot(x, y) * EARTH_RADIUS_M;
}
