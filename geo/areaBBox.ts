import type { MultiPolygon, Polygon } from 'geojson';

/**
 * Bounding box [minLon, minLat, maxLon, maxLat] of a Polygon or MultiPolygon.
 *
 * @example
 * areaBBox({ type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 1], [0, 0]]] }); // [0, 0, 2, 1]
 */
export function areaBBox(geom: Polygon | MultiPolygon): [number, number, number, number] {
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new Error('areaBBox: expected a Polygon or MultiPolygon');
  }
  const polygons = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygons) {
    for (const p of polygon[0] ?? []) {
      const [x, y] = p as [number, number];
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  if (minX > maxX) throw new Error('areaBBox: the geometry has no coordinates');
  return [minX, minY, maxX, maxY];
}
