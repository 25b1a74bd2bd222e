import type { Position } from 'geojson';
import { approxDistanceMeters } from './approxDistanceMeters';

const DEG = 180 / Math.PI;

/**
 * The point at a fraction (0..1) of a polyline's length, with the line's bearing there
 * (degrees clockwise from north, 0..360).
 *
 * @example
 * pointAlongLine([[101.75, 36.66], [101.76, 36.66]], 0.5);
 * // { position: [101.755, 36.66], bearing: 90 }
 */
export function pointAlongLine(
  line: readonly Position[],
  fraction: number,
): { position: Position; bearing: number } {
  if (!Array.isArray(line) || line.length < 2) {
    throw new Error('pointAlongLine: a line needs at least 2 positions');
  }
  if (!(fraction >= 0 && fraction <= 1))
    throw new Error('pointAlongLine: fraction must be in [0, 1]');
  const lengths = line.slice(1).map((p, i) => approxDistanceMeters(line[i]!, p));
  let left = fraction * lengths.reduce((s, l) => s + l, 0);
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i]!;
    if (left <= len || i === lengths.length - 1) {
      const a = line[i] as [number, number];
      const b = line[i + 1] as [number, number];
      const t = len > 0 ? Math.min(1, left / len) : 0;
      const position = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      // a zero-length segment has no direction: take the bearing of the next segment with a
      // length, else of the previous one
      let j = i;
      while (lengths[j] === 0 && j < lengths.length - 1) j++;
      while (lengths[j] === 0 && j > 0) j--;
      const [c, d] = [line[j] as [number, number], line[j + 1] as [number, number]];
      const east = (d[0] - c[0]) * Math.cos((c[1] + d[1]) / 2 / DEG);
      const north = d[1] - c[1];
      const bearing = (Math.atan2(east, north) * DEG + 360) % 360;
      return { position, bearing };
    }
    left -= len;
  }
  throw new Error('pointAlongLine: unreachable');
}
