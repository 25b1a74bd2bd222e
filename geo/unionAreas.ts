/**
 * The union of polygons, rounded to 6 decimals as the rest of the demo geometry is.
 *
 * @example
 *   unionAreas([townA, townB]); // one Polygon, or a MultiPolygon where they do not touch
 */
import { feature, featureCollection, union } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { roundArea } from './roundArea';

export function unionAreas(
  areas: (Polygon | MultiPolygon)[],
  what = 'area',
): Polygon | MultiPolygon {
  if (areas.length === 0) throw new Error(`unionAreas: no ${what} to unite`);
  const u =
    areas.length === 1
      ? feature(areas[0]!)
      : union(featureCollection(areas.map((a) => feature(a))));
  const geom = u && roundArea(u.geometry);
  if (!geom) throw new Error(`unionAreas: the ${what} came out empty`);
  return geom;
}
