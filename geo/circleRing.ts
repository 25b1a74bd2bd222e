import { circle } from '@turf/turf';
import type { Polygon, Position } from 'geojson';

/**
 * A circle on the ground as a polygon: `steps` positions on the geodesic circle of
 * `radiusMeters` around `centre` (Turf's `circle`), closed. For drawing a circle drawn on a map,
 * whose stored form is only the centre and the radius.
 *
 * @example
 * circleRing([101.75, 36.66], 500).coordinates[0].length; // 65 (64 steps, closed)
 */
export function circleRing(centre: Position, radiusMeters: number, steps = 64): Polygon {
  const [lon, lat] = centre as [number, number];
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90) {
    throw new Error('circleRing: expected a [lon, lat] centre');
  }
  if (!(radiusMeters > 0) || !Number.isFinite(radiusMeters)) {
    throw new Error(
      `circleRing: the radius must be a positive number of metres, got ${radiusMeters}`,
    );
  }
  if (!Number.isInteger(steps) || steps < 3) {
    throw new Error(`circleRing: steps must be an integer of at least 3, got ${steps}`);
  }
  return circle([lon, lat], radiusMeters, { steps, units: 'meters' }).geometry;
}
