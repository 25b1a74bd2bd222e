import type { Position } from 'geojson';

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = 180 / Math.PI;

/**
 * Moves a [lon, lat] position by a number of metres east and north (local flat-earth
 * approximation, fine for offsets up to a few kilometres).
 *
 * @example
 * offsetPosition([101.75, 36.66], 0, 111.2); // ≈ [101.75, 36.661]
 */
export function offsetPosition(p: Position, eastM: number, northM: number): Position {
  const [lon, lat] = p as [number, number];
  if (![lon, lat, eastM, northM].every(Number.isFinite)) {
    throw new Error('offsetPosition: expected a [lon, lat] position and finite offsets');
  }
  const dLat = (northM / EARTH_RADIUS_M) * DEG;
  const dLon = (eastM / (EARTH_RADIUS_M * Math.cos(lat / DEG))) * DEG;
  return [lon + dLon, lat + dLat];
}
