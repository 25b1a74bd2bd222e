import type { Position } from 'geojson';
import { Delaunay } from 'd3-delaunay';

const RAD = Math.PI / 180;

/**
 * Unclipped Voronoi cells of [lon, lat] points inside a bounding box, as closed convex rings.
 * Distances are measured in a local equirectangular plane (longitudes scaled by the cosine of
 * the box's mid latitude). Cell i belongs to point i (null for a duplicate point). Coordinates
 * are computed identically for shared edges, so neighbouring cells fit exactly.
 *
 * @example
 * voronoiCells([[0.25, 0.5], [0.75, 0.5]], [0, 0, 1, 1]);
 * // two rings: the left and the right half of the box
 */
export function voronoiCells(
  points: readonly Position[],
  bbox: readonly [number, number, number, number],
): (Position[] | null)[] {
  if (!Array.isArray(points) || points.length === 0) {
    throw new Error('voronoiCells: expected at least one point');
  }
  const [minX, minY, maxX, maxY] = bbox;
  if (![minX, minY, maxX, maxY].every(Number.isFinite) || minX >= maxX || minY >= maxY) {
    throw new Error('voronoiCells: bbox must be [minX, minY, maxX, maxY] with min < max');
  }
  for (const p of points) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new Error('voronoiCells: points must be [lon, lat] with finite numbers');
    }
  }
  const k = Math.cos(((minY + maxY) / 2) * RAD);
  if (points.length === 1) {
    return [
      [
        [minX, minY],
        [maxX, minY],
        [maxX, maxY],
        [minX, maxY],
        [minX, minY],
      ],
    ];
  }
  const voronoi = Delaunay.from(points.map((p) => [p[0]! * k, p[1]!])).voronoi([
    minX * k,
    minY,
    maxX * k,
    maxY,
  ]);
  return points.map((_, i) => {
    const ring = voronoi.cellPolygon(i) as Position[] | null;
    return ring ? ring.map(([x, y]) => [x! / k, y!]) : null;
  });
}
