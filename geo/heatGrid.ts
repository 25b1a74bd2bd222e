/**
 * A square-ish grid in degrees whose cells measure `cellMeters` on the ground around Chengbei.
 * Cell (i, j) spans [lon0 + i·dLon, lon0 + (i+1)·dLon) × [lat0 + j·dLat, lat0 + (j+1)·dLat).
 * The origin and the reference latitude are fixed, so the same cell size always gives the same
 * cells, whatever the window or the bounding box.
 *
 * @example
 *   const g = heatGrid(200); // g.dLon ≈ 0.00224°, g.dLat ≈ 0.0018°
 *   const [lon, lat] = cellCentre(g, 12, 7);
 */
export interface HeatGrid {
  cellMeters: number;
  lon0: number;
  lat0: number;
  dLon: number;
  dLat: number;
}

/** Grid origin (south-west of the district) and the latitude at which metres are measured. */
export const GRID_ORIGIN: readonly [number, number] = [101.5, 36.6];
export const GRID_REFERENCE_LAT = 36.69;

/** Metres per degree of longitude and latitude at `lat` on the WGS84 ellipsoid. */
export function metresPerDegree(lat: number): { lon: number; lat: number } {
  if (!Number.isFinite(lat) || Math.abs(lat) > 90)
    throw new Error(`lat must be in [-90, 90], got ${lat}`);
  const a = 6378137;
  const e2 = 0.00669437999014;
  const phi = (lat * Math.PI) / 180;
  const s = Math.sin(phi);
  const w = Math.sqrt(1 - e2 * s * s);
  return {
    lon: ((Math.PI / 180) * a * Math.cos(phi)) / w,
    lat: ((Math.PI / 180) * a * (1 - e2)) / (w * w * w),
  };
}

export function heatGrid(cellMeters: number): HeatGrid {
  if (!Number.isFinite(cellMeters) || cellMeters <= 0)
    throw new Error(`cellMeters must be a positive number, got ${cellMeters}`);
  const m = metresPerDegree(GRID_REFERENCE_LAT);
  return {
    cellMeters,
    lon0: GRID_ORIGIN[0],
    lat0: GRID_ORIGIN[1],
    dLon: cellMeters / m.lon,
    dLat: cellMeters / m.lat,
  };
}

export function cellCentre(g: HeatGrid, i: number, j: number): [number, number] {
  return [g.lon0 + (i + 0.5) * g.dLon, g.lat0 + (j + 0.5) * g.dLat];
}
