import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Whether a point lies inside a Polygon or MultiPolygon (even-odd ray casting, holes
 * respected). Points exactly on an edge may fall on either side.
 *
 * @example
 * pointInArea(0.5, 0.2, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }); // true
 */
export function pointInArea(lon: number, lat: number, geom: Polygon | MultiPolygon): boolean {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new Error('pointInArea: lon and lat must be finite numbers');
  }
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new Error('pointInArea: expected a Polygon or MultiPolygon');
  }
  const polygons = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  for (const rings of polygons) {
    let inside = false;
    for (const ring of rings) if (crosses(ring, lon, lat)) inside = !inside;
    if (inside) return true;
  }
  return false;
}

/** Whether a ray from the point towards +x crosses the ring an odd number of times. */
function crosses(ring: Position[], x: number, y: number): boolean {
  let odd = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}
