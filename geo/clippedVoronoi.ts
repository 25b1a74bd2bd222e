import type { MultiPolygon, Polygon, Position } from 'geojson';
import { feature, featureCollection, intersect, polygon } from '@turf/turf';
import { areaBBox } from './areaBBox';
import { pointInArea } from './pointInArea';
import { voronoiCells } from './voronoiCells';

/**
 * Voronoi cells of [lon, lat] points, each clipped to an area. Distances are measured in a
 * local equirectangular plane (longitudes scaled by the cosine of the area's mid latitude),
 * so cells are not stretched east–west. Cell i belongs to point i; it is null when the cell
 * misses the area. The cells tile the area (up to floating-point error); they are not rounded.
 *
 * @example
 * const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
 * clippedVoronoi([[0.25, 0.5], [0.75, 0.5]], square); // two halves of the square
 */
export function clippedVoronoi(
  points: readonly Position[],
  clip: Polygon | MultiPolygon,
): (Polygon | MultiPolygon | null)[] {
  if (!Array.isArray(points) || points.length === 0) {
    throw new Error('clippedVoronoi: expected at least one point');
  }
  const seen = new Set<string>();
  for (const p of points) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new Error('clippedVoronoi: points must be [lon, lat] with finite numbers');
    }
    const key = `${p[0]},${p[1]}`;
    if (seen.has(key)) throw new Error(`clippedVoronoi: duplicate point ${key}`);
    seen.add(key);
  }
  const [minX, minY, maxX, maxY] = areaBBox(clip);
  const pad = Math.max(maxX - minX, maxY - minY);
  const xs = [minX, maxX, ...points.map((p) => p[0]!)];
  const ys = [minY, maxY, ...points.map((p) => p[1]!)];
  const bounds: [number, number, number, number] = [
    Math.min(...xs) - pad,
    Math.min(...ys) - pad,
    Math.max(...xs) + pad,
    Math.max(...ys) + pad,
  ];
  const clipFeature = feature(clip);
  const edges = clipEdges(clip);
  const ringStarts = (clip.type === 'Polygon' ? [clip.coordinates] : clip.coordinates).flatMap(
    (rings) => rings.map((ring) => ring[0]!),
  );
  return voronoiCells(points, bounds).map((cellRing) => {
    if (!cellRing) return null;
    // Fast paths: most cells are wholly inside (or outside) the clip area and need no clipping.
    // When the cell's boundary meets no edge of the area, each ring of the area (exterior,
    // hole or another part) lies wholly inside or wholly outside the cell; if none lies inside,
    // the whole cell is on one side of the area's boundary.
    if (!crossesAny(cellRing, edges)) {
      const cellGeom: Polygon = { type: 'Polygon', coordinates: [cellRing] };
      if (!ringStarts.some((p) => pointInArea(p[0]!, p[1]!, cellGeom))) {
        return pointInArea(cellRing[0]![0]!, cellRing[0]![1]!, clip) ? cellGeom : null;
      }
    }
    return intersect(featureCollection([polygon([cellRing]), clipFeature]))?.geometry ?? null;
  });
}

/** All edges of an area's rings as a flat array x0, y0, x1, y1, ... */
function clipEdges(area: Polygon | MultiPolygon): number[] {
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  const out: number[] = [];
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        out.push(ring[i - 1]![0]!, ring[i - 1]![1]!, ring[i]![0]!, ring[i]![1]!);
      }
    }
  }
  return out;
}

/** Whether any edge of a closed ring touches or crosses any of the edges (conservative). */
function crossesAny(ring: Position[], edges: number[]): boolean {
  for (let i = 1; i < ring.length; i++) {
    const ax = ring[i - 1]![0]!;
    const ay = ring[i - 1]![1]!;
    const bx = ring[i]![0]!;
    const by = ring[i]![1]!;
    const minX = Math.min(ax, bx);
    const maxX = Math.max(ax, bx);
    const minY = Math.min(ay, by);
    const maxY = Math.max(ay, by);
    for (let e = 0; e < edges.length; e += 4) {
      const cx = edges[e]!;
      const cy = edges[e + 1]!;
      const dx = edges[e + 2]!;
      const dy = edges[e + 3]!;
      if (Math.max(cx, dx) < minX || Math.min(cx, dx) > maxX) continue;
      if (Math.max(cy, dy) < minY || Math.min(cy, dy) > maxY) continue;
      const d1 = orient(ax, ay, bx, by, cx, cy);
      const d2 = orient(ax, ay, bx, by, dx, dy);
      const d3 = orient(cx, cy, dx, dy, ax, ay);
      const d4 = orient(cx, cy, dx, dy, bx, by);
      if (d1 * d2 <= 0 && d3 * d4 <= 0) return true;
    }
  }
  return false;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}
