/** The district's shape, and how many grid cells cover a bounding box: what sizes analyses. */
import type { MultiPolygon, Polygon } from 'geojson';
import { heatGrid } from '../../geo/heatGrid';
import type { Queryable } from '../db/database';
import { memo } from './memo';

export type BBox = [number, number, number, number];

/** The district's shape and bounding box (cached per database and version of the places). */
export function district(db: Queryable) {
  return memo(db, ['places'], 'district', async () => {
    const [d] = await db.query<{ geom: string; w: number; s: number; e: number; n: number }>(
      `SELECT ST_AsGeoJSON(geom) AS geom, ST_XMin(geom) AS w, ST_YMin(geom) AS s,
         ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM district LIMIT 1`,
    );
    return {
      area: JSON.parse(d!.geom) as Polygon | MultiPolygon,
      bbox: [Number(d!.w), Number(d!.s), Number(d!.e), Number(d!.n)] as BBox,
    };
  });
}

/** The cells of the heat grid (geo/heatGrid) at `cellMeters` that a bounding box touches. */
export function gridCells(bbox: BBox, cellMeters: number): number {
  const g = heatGrid(cellMeters);
  const cols =
    Math.floor((bbox[2] - g.lon0) / g.dLon) - Math.floor((bbox[0] - g.lon0) / g.dLon) + 1;
  const rows =
    Math.floor((bbox[3] - g.lat0) / g.dLat) - Math.floor((bbox[1] - g.lat0) / g.dLat) + 1;
  return cols * rows;
}
