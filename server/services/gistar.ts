/**
 * Hot spots: incidents counted on the heat grid (geo/heatGrid) over every cell of the district,
 * zero counts included, then Getis-Ord Gi* (geo/getisOrdGiStar) within a distance band. The cost
 * (cells × neighbours within the band) is estimated before any work and refused above
 * MAX_GISTAR_WORK; the counting and Gi* run in the compute pool.
 */
import { BadInput } from '../errors';
import { bandOffsets } from '../../geo/getisOrdGiStar';
import type { Queryable } from '../db/database';
import { unpackInt32 } from '../db/packed';
import type { HotSpotCell } from '../compute/gistarCells';
import { compute } from '../compute/pool';
import { heatQuery, type IncidentFilter } from './incidents';
import { district, gridCells, type BBox } from './district';

export type { HotSpotCell };

export interface HotSpots {
  cellMeters: number;
  bandMeters: number;
  fdr: boolean;
  /** the cells' size in degrees: each hot spot's lon/lat is its cell's centre */
  grid: { dLon: number; dLat: number };
  /** cells analysed (every cell whose centre lies in the district, or with incidents) */
  cells: number;
  byClass: Record<HotSpotCell['class'], number>;
  /** the significant cells only */
  hotspots: HotSpotCell[];
}

/** Neighbour look-ups (cells × offsets within the band) one analysis may cost. */
export const MAX_GISTAR_WORK = 50_000_000;
/** Grid cells over the district's bounding box one analysis may have. */
export const MAX_GISTAR_CELLS = 250_000;

/** The cost of Gi* at these settings over a bounding box: cells, neighbours per cell, and their product. */
export function gistarWork(bbox: BBox, cellMeters: number, bandMeters: number) {
  const cells = gridCells(bbox, cellMeters);
  const neighbours = bandOffsets(bandMeters / cellMeters);
  return { cells, neighbours, work: cells * neighbours };
}

/** Refuses settings whose cost is over the limits, naming the fields, the estimate and the limit. */
export function checkGistarCost(bbox: BBox, cellMeters: number, bandMeters: number) {
  const c = gistarWork(bbox, cellMeters, bandMeters);
  const fmt = (v: number) => v.toLocaleString('en-US');
  if (c.cells > MAX_GISTAR_CELLS)
    throw new BadInput(
      'cellMeters',
      `${cellMeters} m cells make ${fmt(c.cells)} cells over the district, at most ${fmt(MAX_GISTAR_CELLS)}: use larger cells`,
    );
  if (c.work > MAX_GISTAR_WORK)
    throw new BadInput(
      'bandMeters',
      `${cellMeters} m cells with a ${bandMeters} m band cost ${fmt(c.cells)} cells × ${fmt(c.neighbours)} neighbours = ${fmt(c.work)} look-ups, at most ${fmt(MAX_GISTAR_WORK)} (the Gi* work limit): use larger cells or a shorter band`,
    );
  return c;
}

export async function gistar(
  db: Queryable,
  f: IncidentFilter & { cellMeters: number; bandMeters: number; fdr: boolean },
): Promise<HotSpots> {
  const d = await district(db);
  checkGistarCost(d.bbox, f.cellMeters, f.bandMeters);
  const q = heatQuery(f);
  const [counts] = await db.query<{
    gx: Uint8Array | null;
    gy: Uint8Array | null;
    n: Uint8Array | null;
  }>(q.text, q.params);
  const input = {
    area: d.area,
    grid: q.grid,
    gx: unpackInt32(counts?.gx ?? null),
    gy: unpackInt32(counts?.gy ?? null),
    n: unpackInt32(counts?.n ?? null),
    bandCells: f.bandMeters / f.cellMeters,
    fdr: f.fdr,
  };
  const out = await compute('gistarCells', input, 'the hot-spot analysis (Gi*)');
  return {
    cellMeters: f.cellMeters,
    bandMeters: f.bandMeters,
    fdr: f.fdr,
    grid: { dLon: q.grid.dLon, dLat: q.grid.dLat },
    ...out,
  };
}
