import type { MultiPolygon, Polygon, Position } from 'geojson';
import { signedRingArea } from './signedRingArea';

/**
 * Returns a copy of a Polygon or MultiPolygon wound as RFC 7946 asks: exterior rings
 * counter-clockwise, holes clockwise. Coordinates are not otherwise changed.
 *
 * @example
 * rewindArea({ type: 'Polygon', coordinates: [[[0, 0], [0, 1], [1, 1], [0, 0]]] });
 * // { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 1], [0, 0]]] }
 */
export function rewindArea<T extends Polygon | MultiPolygon>(geom: T): T {
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new Error('rewindArea: expected a Polygon or MultiPolygon');
  }
  const wind = (rings: Position[][]): Position[][] =>
    rings.map((ring, i) => {
      const ccw = signedRingArea(ring) > 0;
      const wantCcw = i === 0;
      const copy = ring.map((p) => [...p]);
      return ccw === wantCcw ? copy : copy.reverse();
    });
  if (geom.type === 'Polygon') {
    return { ...geom, coordinates: wind(geom.coordinates) };
  }
  return { ...geom, coordinates: geom.coordinates.map(wind) };
}
