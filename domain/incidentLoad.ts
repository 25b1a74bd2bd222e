/**
 * How much of the stored incidents a screen loads: the incidents of the window it shows, as
 * points, up to POINT_WINDOW_MAX; a window holding more is drawn from the server's cells, counted
 * at the zoom's resolution (server/services/incidentCells.ts).
 */
import { GRID_REFERENCE_LAT } from '../geo/heatGrid';
import { metresPerPixel } from '../geo/metresPerPixel';

/** A window holding more incidents than this is drawn from cells, not loaded as points. */
export const POINT_WINDOW_MAX = 1_000_000;

/** A cell measures about this many CSS pixels at the (whole) MapLibre zoom it is asked for. */
export const CELL_PIXELS = 24;
/** Cell sizes the server accepts (metres), as its heat query does. */
export const MIN_CELL_METERS = 20;
export const MAX_CELL_METERS = 5000;
/** Zoom levels a cells request may name. */
export const MIN_CELL_ZOOM = 0;
export const MAX_CELL_ZOOM = 20;
/** Cells one request may span (over its bbox or the district): its answer's size at most. */
export const MAX_CELLS = 60_000;

/** Cells never finer than this zoom's: at it the district's cells stay within MAX_CELLS. */
export const CELLS_MAX_ZOOM = 13;

/**
 * The cell size (whole metres) for map zoom `zoom`: CELL_PIXELS CSS pixels at the district's
 * latitude at the zoom's whole level, within [MIN_CELL_METERS, MAX_CELL_METERS].
 *
 * @example
 * cellMetersForZoom(12); // 368
 */
export function cellMetersForZoom(zoom: number): number {
  const m = Math.round(CELL_PIXELS * metresPerPixel(GRID_REFERENCE_LAT, Math.floor(zoom)));
  return Math.min(MAX_CELL_METERS, Math.max(MIN_CELL_METERS, m));
}

/** An area [west, south, east, north] in degrees. */
export type Area = [number, number, number, number];

/**
 * The area whose incidents a zoomed-in map loads as points where its window is drawn from
 * cells: the 2 × 2 cells of a grid of viewport-sized cells (at the zoom's whole level) around the
 * view's centre, which hold the whole view, so that a pan within them asks for nothing more.
 *
 * @example
 * pointsArea({ lon: 101.76, lat: 36.65 }, 15, { width: 1024, height: 768 }); // ≈ 0.044° × 0.027°
 */
export function pointsArea(
  centre: { lon: number; lat: number },
  zoom: number,
  viewport: { width: number; height: number },
): Area {
  const degPerPx = 360 / (512 * 2 ** Math.floor(zoom));
  const w = Math.max(1, viewport.width) * degPerPx;
  // the cosine of the whole degree nearer the equator: one grid across a degree of latitude,
  // its rows never lower than the view
  const lat = Math.floor(Math.abs(centre.lat));
  const h = Math.max(1, viewport.height) * degPerPx * Math.cos((lat * Math.PI) / 180);
  const x0 = Math.floor((centre.lon - w / 2) / w) * w;
  const y0 = Math.floor((centre.lat - h / 2) / h) * h;
  const r = (v: number, lo: number, hi: number) =>
    Math.round(Math.min(hi, Math.max(lo, v)) * 1e6) / 1e6;
  return [r(x0, -180, 180), r(y0, -85, 85), r(x0 + 2 * w, -180, 180), r(y0 + 2 * h, -85, 85)];
}
