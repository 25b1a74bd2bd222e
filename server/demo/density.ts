/**
 * A coarse grid of incident counts over the district, used to put cameras, posts and patrol
 * cars where the incidents are.
 */
import type { Position } from 'geojson';
import type { IncidentColumns } from '../dataset/types';

export interface DensityGrid {
  /** cell size in metres (about) */
  cellM: number;
  nx: number;
  ny: number;
  /** incidents per cell, row-major from the south-west corner */
  counts: Float64Array;
  /** cell index of a position, or -1 outside the grid */
  cellOf(lon: number, lat: number): number;
  /** centre of a cell */
  centre(cell: number): Position;
  /** position in metres east and north of the grid's south-west corner */
  local(lon: number, lat: number): [number, number];
}

/** Bins incidents on a grid of about `cellM` metres covering the bounding box. */
export function densityGrid(
  incidents: IncidentColumns,
  bbox: readonly [number, number, number, number],
  cellM = 100,
): DensityGrid {
  const [minX, minY, maxX, maxY] = bbox;
  const dLat = cellM / 111_195;
  const dLon = dLat / Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const nx = Math.ceil((maxX - minX) / dLon);
  const ny = Math.ceil((maxY - minY) / dLat);
  const counts = new Float64Array(nx * ny);
  const cellOf = (lon: number, lat: number): number => {
    const x = Math.floor((lon - minX) / dLon);
    const y = Math.floor((lat - minY) / dLat);
    return x < 0 || y < 0 || x >= nx || y >= ny ? -1 : y * nx + x;
  };
  for (let i = 0; i < incidents.count; i++) {
    const c = cellOf(incidents.lon[i]!, incidents.lat[i]!);
    if (c >= 0) counts[c]!++;
  }
  return {
    cellM,
    nx,
    ny,
    counts,
    cellOf,
    centre: (cell) => [
      minX + ((cell % nx) + 0.5) * dLon,
      minY + (Math.floor(cell / nx) + 0.5) * dLat,
    ],
    local: (lon, lat) => [((lon - minX) / dLon) * cellM, ((lat - minY) / dLat) * cellM],
  };
}
