import type { Position } from 'geojson';
import { approxDistanceMeters } from './approxDistanceMeters';

/**
 * Length in metres of a polyline of [lon, lat] positions (equirectangular approximation
 * per segment).
 *
 * @example
 * lineLengthMeters([[101.75, 36.66], [101.76, 36.66], [101.76, 36.67]]); // ≈ 2004
 */
export function lineLengthMeters(line: readonly Position[]): number {
  if (!Array.isArray(line) || line.length < 2) {
    throw new Error('lineLengthMeters: a line needs at least 2 positions');
  }
  let total = 0;
  for (let i = 1; i < line.length; i++) total += approxDistanceMeters(line[i - 1]!, line[i]!);
  return total;
}
