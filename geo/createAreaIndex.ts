import type { MultiPolygon, Polygon, Position } from 'geojson';
import { areaBBox } from './areaBBox';

/** Finds which of many areas contains a point. */
export interface AreaIndex {
  /** index of the first area containing the point, or -1 */
  find(lon: number, lat: number): number;
}

/**
 * Builds a grid index over many Polygons/MultiPolygons (e.g. the communities that tile a
 * district) for fast point-in-polygon look-ups: each grid cell lists the areas whose bounding
 * box touches it, and only those are tested (even-odd ray casting on flat arrays).
 *
 * @example
 * const index = createAreaIndex([
 *   { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] },
 *   { type: 'Polygon', coordinates: [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]] },
 * ]);
 * index.find(1.5, 0.5); // 1
 * index.find(5, 5); // -1
 */
export function createAreaIndex(
  areas: readonly (Polygon | MultiPolygon)[],
  cellsAcross = 256,
): AreaIndex {
  if (!Array.isArray(areas) || areas.length === 0) {
    throw new Error('createAreaIndex: expected a non-empty array of areas');
  }
  if (!Number.isInteger(cellsAcross) || cellsAcross < 1) {
    throw new Error('createAreaIndex: cellsAcross must be a positive integer');
  }
  const boxes = areas.map((a) => areaBBox(a));
  const minX = Math.min(...boxes.map((b) => b[0]));
  const minY = Math.min(...boxes.map((b) => b[1]));
  const maxX = Math.max(...boxes.map((b) => b[2]));
  const maxY = Math.max(...boxes.map((b) => b[3]));
  const cell = Math.max(maxX - minX, maxY - minY) / cellsAcross || 1;
  const nx = Math.max(1, Math.ceil((maxX - minX) / cell));
  const ny = Math.max(1, Math.ceil((maxY - minY) / cell));
  const cells: number[][] = Array.from({ length: nx * ny }, () => []);
  const clampX = (x: number) => Math.min(nx - 1, Math.max(0, Math.floor((x - minX) / cell)));
  const clampY = (y: number) => Math.min(ny - 1, Math.max(0, Math.floor((y - minY) / cell)));
  boxes.forEach((b, i) => {
    for (let y = clampY(b[1]); y <= clampY(b[3]); y++) {
      for (let x = clampX(b[0]); x <= clampX(b[2]); x++) cells[y * nx + x]!.push(i);
    }
  });
  const flat = areas.map((a) => {
    const polygons: Position[][][] = a.type === 'Polygon' ? [a.coordinates] : a.coordinates;
    return polygons.map((rings) =>
      rings.map((ring) => Float64Array.from(ring.flatMap((p) => [p[0]!, p[1]!]))),
    );
  });
  return {
    find(lon, lat) {
      if (!(lon >= minX && lon <= maxX && lat >= minY && lat <= maxY)) return -1;
      for (const i of cells[clampY(lat) * nx + clampX(lon)]!) {
        const b = boxes[i]!;
        if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
        for (const rings of flat[i]!) {
          let inside = false;
          for (const ring of rings) if (oddCrossings(ring, lon, lat)) inside = !inside;
          if (inside) return i;
        }
      }
      return -1;
    },
  };
}

function oddCrossings(ring: Float64Array, x: number, y: number): boolean {
  let odd = false;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i]!;
    const yi = ring[2 * i + 1]!;
    const xj = ring[2 * j]!;
    const yj = ring[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}
