/**
 * The counts two periods are compared by, made on the incident columns the page holds (they span
 * ten years, so neither period needs a request): per village/community and per grid cell. Each
 * period's count is one pass over its own stretch of the columns (they are sorted by time).
 */
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { createAreaIndex } from '../../../geo/createAreaIndex';
import { heatGrid, type HeatGrid } from '../../../geo/heatGrid';
import type { Range } from '../../../domain/time';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../../domain/vocabulary';
import { lowerBound, type IncidentColumns } from '../../data/incidentColumns';

/** The communities as the map has them: an id and an area each. */
export interface CommunityArea {
  id: number;
  geometry: Geometry;
}

/** Which community (an index into the areas) each incident is in, -1 for none. */
export type CommunityOf = Int16Array;

const isArea = (g: Geometry): g is Polygon | MultiPolygon =>
  g.type === 'Polygon' || g.type === 'MultiPolygon';

/** The last assignment made, reused for the incidents it shares with the next columns. */
let last: { columns: IncidentColumns; areas: readonly CommunityArea[]; of: CommunityOf } | null =
  null;

/**
 * The community of each incident, by point in polygon over a grid index of the areas. The
 * columns change by live incidents, almost always added at the end: the incidents at the head
 * that the columns last assigned still hold (same ids in the same places) keep their community,
 * and only the rest are looked up.
 */
export function communitiesOfIncidents(
  columns: IncidentColumns,
  areas: readonly CommunityArea[],
): CommunityOf {
  if (last && last.columns === columns && last.areas === areas) return last.of;
  const of = new Int16Array(columns.count).fill(-1);
  const shapes = areas.map((a) => a.geometry);
  if (!shapes.length || !shapes.every(isArea)) return of;
  let start = 0;
  if (last && last.areas === areas) {
    const n = Math.min(last.columns.count, columns.count);
    const a = last.columns;
    // the same incident in the same place (a moved incident keeps its id, not its position)
    while (
      start < n &&
      a.id[start] === columns.id[start] &&
      a.positions[2 * start] === columns.positions[2 * start] &&
      a.positions[2 * start + 1] === columns.positions[2 * start + 1]
    )
      start++;
    of.set(last.of.subarray(0, start));
  }
  const index = createAreaIndex(shapes);
  const p = columns.positions;
  for (let i = start; i < columns.count; i++) of[i] = index.find(p[2 * i]!, p[2 * i + 1]!);
  last = { columns, areas, of };
  return of;
}

/** The category filter as a bit mask over INCIDENT_CATEGORIES (none chosen: every category). */
export function categoryMask(categories: readonly IncidentCategory[]): number {
  if (!categories.length) return (1 << INCIDENT_CATEGORIES.length) - 1;
  return categories.reduce((m, c) => m | (1 << INCIDENT_CATEGORIES.indexOf(c)), 0);
}

/** The incidents of [from, to) per community (indexed as the areas), in the mask's categories. */
export function countByCommunity(
  columns: IncidentColumns,
  of: CommunityOf,
  areas: number,
  range: Range,
  mask: number,
): Int32Array {
  const out = new Int32Array(areas);
  const end = lowerBound(columns, range.to);
  for (let i = lowerBound(columns, range.from); i < end; i++) {
    const k = of[i]!;
    if (k >= 0 && mask & (1 << columns.category[i]!)) out[k]!++;
  }
  return out;
}

export interface CommunityChange {
  id: number;
  current: number;
  base: number;
  /** current − base */
  change: number;
  /** change ÷ base; null where the base is 0 */
  ratio: number | null;
}

/**
 * Each community's change, the largest changes first (either way; then the busier now, then by
 * id, so the order is stable).
 */
export function communityChanges(
  areas: readonly CommunityArea[],
  current: ArrayLike<number>,
  base: ArrayLike<number>,
): CommunityChange[] {
  return areas
    .map((a, i) => {
      const c = current[i]!;
      const b = base[i]!;
      return { id: a.id, current: c, base: b, change: c - b, ratio: b ? (c - b) / b : null };
    })
    .sort(
      (x, y) => Math.abs(y.change) - Math.abs(x.change) || y.current - x.current || x.id - y.id,
    );
}

/** One grid cell's counts in the two periods. */
export interface CellChange {
  /** [west, south, east, north] */
  bounds: [number, number, number, number];
  current: number;
  base: number;
  change: number;
}

/**
 * The grid cell size for a zoom: about 40 screen pixels, in steps of a power of two (800 m at
 * zoom 11, 100 m at zoom 14), never under 50 m.
 */
export function cellMetersAt(zoom: number): number {
  return Math.max(50, Math.min(3200, 800 * 2 ** (11 - Math.floor(zoom))));
}

/**
 * The change per grid cell (geo/heatGrid's fixed grid): the cells with an incident in either
 * period, each counted in one pass over each period.
 */
export function differenceGrid(
  columns: IncidentColumns,
  current: Range,
  base: Range,
  mask: number,
  cellMeters: number,
): CellChange[] {
  const g: HeatGrid = heatGrid(cellMeters);
  const cells = new Map<number, { i: number; j: number; current: number; base: number }>();
  const p = columns.positions;
  const pass = (r: Range, field: 'current' | 'base') => {
    const end = lowerBound(columns, r.to);
    for (let k = lowerBound(columns, r.from); k < end; k++) {
      if (!(mask & (1 << columns.category[k]!))) continue;
      const i = Math.floor((p[2 * k]! - g.lon0) / g.dLon);
      const j = Math.floor((p[2 * k + 1]! - g.lat0) / g.dLat);
      // a key per cell: the district is far less than 2^20 cells across
      const key = i * 1_048_576 + j;
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { i, j, current: 0, base: 0 }));
      cell[field]++;
    }
  };
  pass(current, 'current');
  pass(base, 'base');
  return [...cells.values()].map((c) => ({
    bounds: [
      g.lon0 + c.i * g.dLon,
      g.lat0 + c.j * g.dLat,
      g.lon0 + (c.i + 1) * g.dLon,
      g.lat0 + (c.j + 1) * g.dLat,
    ],
    current: c.current,
    base: c.base,
    change: c.current - c.base,
  }));
}
