/**
 * The incidents of a window counted per grid cell at a map zoom's resolution, for windows too
 * large to load as points (domain/incidentLoad.ts POINT_WINDOW_MAX), and the window's size,
 * counted no further than that limit, so that a client learns cheaply which of the two it needs.
 */
import { z } from 'zod';
import {
  cellMetersForZoom,
  MAX_CELL_ZOOM,
  MAX_CELLS,
  MIN_CELL_ZOOM,
  POINT_WINDOW_MAX,
} from '../../domain/incidentLoad';
import { BadInput } from '../errors';
import type { Queryable } from '../db/database';
import { bbox, categories, checkWindow, windowShape } from '../inputs';
import { district, gridCells } from './district';
import { heatColumns, whereIncidents, type IncidentFilter } from './incidents';

export const cellsInput = z
  .object({
    ...windowShape,
    categories: categories.optional(),
    bbox: bbox.optional(),
    zoom: z.number().int().min(MIN_CELL_ZOOM).max(MAX_CELL_ZOOM),
  })
  .superRefine(checkWindow);

export const windowSizeInput = z
  .object({ ...windowShape, categories: categories.optional() })
  .superRefine(checkWindow);

export interface IncidentCells {
  cellMeters: number;
  /** the window's incidents, all cells together */
  total: number;
  /** cell centres and counts, one entry a cell with incidents */
  lon: number[];
  lat: number[];
  count: number[];
}

/**
 * The window's incidents per cell of the zoom's size (cellMetersForZoom) over `bbox` or the
 * district; the cells' counts add up to incidents.summary's count of the same window and
 * categories (within the bbox). Refused when the cells would number more than MAX_CELLS.
 */
export async function incidentCells(
  db: Queryable,
  f: Omit<IncidentFilter, 'subcategories' | 'communityId'> & { zoom: number },
): Promise<IncidentCells> {
  const cellMeters = cellMetersForZoom(f.zoom);
  const area = f.bbox ?? (await district(db)).bbox;
  const span = gridCells(area, cellMeters);
  if (span > MAX_CELLS)
    throw new BadInput(
      'zoom',
      `zoom ${f.zoom} makes ${span.toLocaleString('en-US')} cells of ${cellMeters} m over ${f.bbox ? 'the bbox' : 'the district'}, at most ${MAX_CELLS.toLocaleString('en-US')}: send a smaller bbox or a lower zoom`,
    );
  const c = await heatColumns(db, { ...f, cellMeters });
  return { cellMeters, total: c.count.reduce((a, b) => a + b, 0), ...c };
}

export interface WindowSize {
  /** the window's incidents, counted up to `limit` + 1 */
  count: number;
  /** POINT_WINDOW_MAX: more than this and `over` is true */
  limit: number;
  over: boolean;
}

/**
 * How many incidents the window holds, counted no further than one past POINT_WINDOW_MAX: the
 * cost of the answer is bounded whatever is stored, and says whether the window is loaded as
 * points or drawn from cells.
 */
export async function windowSize(
  db: Queryable,
  f: Pick<IncidentFilter, 'from' | 'to' | 'categories'>,
): Promise<WindowSize> {
  const params: unknown[] = [];
  const where = whereIncidents(f, params);
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM incidents i WHERE ${where}
     LIMIT $${params.push(POINT_WINDOW_MAX + 1)}) s`,
    params,
  );
  const count = rows[0]?.n ?? 0;
  return { count, limit: POINT_WINDOW_MAX, over: count > POINT_WINDOW_MAX };
}
