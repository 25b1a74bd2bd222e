import type { MultiPolygon, Polygon, Position } from 'geojson';
import { areaBBox } from './areaBBox';
import { pointInArea } from './pointInArea';

/**
 * A uniformly random point inside a Polygon or MultiPolygon, by rejection sampling in its
 * bounding box. `random` must return numbers in [0, 1) (pass a seeded generator for
 * reproducible results); `decimals` rounds the point before it is tested, so the rounded
 * point is guaranteed to lie inside.
 *
 * @example
 * randomPointInArea({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, Math.random);
 * // e.g. [0.71, 0.35]
 */
export function randomPointInArea(
  geom: Polygon | MultiPolygon,
  random: () => number,
  decimals = 6,
  maxTries = 100_000,
): Position {
  if (typeof random !== 'function') throw new Error('randomPointInArea: random must be a function');
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new Error('randomPointInArea: decimals must be an integer from 0 to 15');
  }
  const [minX, minY, maxX, maxY] = areaBBox(geom);
  const scale = 10 ** decimals;
  for (let i = 0; i < maxTries; i++) {
    const x = Math.round((minX + random() * (maxX - minX)) * scale) / scale;
    const y = Math.round((minY + random() * (maxY - minY)) * scale) / scale;
    if (pointInArea(x, y, geom)) return [x, y];
  }
  throw new Error(`randomPointInArea: no point found in ${maxTries} tries (is the area empty?)`);
}
