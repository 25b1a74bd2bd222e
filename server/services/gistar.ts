/**
 * Hot spots: incidents counted on the heat grid (geo/heatGrid) over every cell of the district,
 * zero counts included, then Getis-Ord Gi* (geo/getisOrdGiStar) within a distance band.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { getisOrdGiStar, type HotSpotClass } from '../../geo/getisOrdGiStar';
import { areaBBox } from '../../geo/areaBBox';
import { cellCentre } from '../../geo/heatGrid';
import { pointInArea } from '../../geo/pointInArea';
import type { Queryable } from '../db/database';
import { unpackInt32 } from '../db/packed';
import { heatQuery, type IncidentFilter } from './incidents';

export interface HotSpotCell {
  lon: number;
  lat: number;
  count: number;
  z: number;
  p: number;
  class: HotSpotClass;
}

export interface HotSpots {
  cellMeters: number;
  bandMeters: number;
  fdr: boolean;
  /** the cells' size in degrees: each hot spot's lon/lat is its cell's centre */
  grid: { dLon: number; dLat: number };
  /** cells analysed (every cell whose centre lies in the district, or with incidents) */
  cells: number;
  byClass: Record<HotSpotClass, number>;
  /** the significant cells only */
  hotspots: HotSpotCell[];
}

export async function gistar(
  db: Queryable,
  f: IncidentFilter & { cellMeters: number; bandMeters: number; fdr: boolean },
): Promise<HotSpots> {
  const q = heatQuery(f);
  const [[counts], [district]] = await Promise.all([
    db.query<{ gx: Uint8Array | null; gy: Uint8Array | null; n: Uint8Array | null }>(
      q.text,
      q.params,
    ),
    db.query<{ geom: string }>('SELECT ST_AsGeoJSON(geom) AS geom FROM district LIMIT 1'),
  ]);
  const area = JSON.parse(district!.geom) as Polygon | MultiPolygon;
  const g = q.grid;
  const cells = new Map<string, { i: number; j: number; count: number }>();
  // every cell of the district, so that quiet places count as quiet
  const [w, s, e, n] = areaBBox(area);
  const i0 = Math.floor((w - g.lon0) / g.dLon);
  const i1 = Math.floor((e - g.lon0) / g.dLon);
  const j0 = Math.floor((s - g.lat0) / g.dLat);
  const j1 = Math.floor((n - g.lat0) / g.dLat);
  for (let i = i0; i <= i1; i++)
    for (let j = j0; j <= j1; j++) {
      const [lon, lat] = cellCentre(g, i, j);
      if (pointInArea(lon, lat, area)) cells.set(`${i},${j}`, { i, j, count: 0 });
    }
  const gx = unpackInt32(counts?.gx ?? null);
  const gy = unpackInt32(counts?.gy ?? null);
  const cn = unpackInt32(counts?.n ?? null);
  for (let k = 0; k < cn.length; k++)
    cells.set(`${gx[k]},${gy[k]}`, { i: gx[k]!, j: gy[k]!, count: cn[k]! });

  const out = getisOrdGiStar([...cells.values()], {
    bandCells: f.bandMeters / f.cellMeters,
    fdr: f.fdr,
  });
  const byClass = { hot99: 0, hot95: 0, hot90: 0, cold99: 0, cold95: 0, cold90: 0, none: 0 };
  const hotspots: HotSpotCell[] = [];
  for (const c of out) {
    byClass[c.class]++;
    if (c.class === 'none') continue;
    const [lon, lat] = cellCentre(g, c.i, c.j);
    hotspots.push({
      lon: round(lon),
      lat: round(lat),
      count: c.count,
      z: c.z,
      p: c.p,
      class: c.class,
    });
  }
  hotspots.sort((a, b) => b.z - a.z);
  return {
    cellMeters: f.cellMeters,
    bandMeters: f.bandMeters,
    fdr: f.fdr,
    grid: { dLon: g.dLon, dLat: g.dLat },
    cells: out.length,
    byClass,
    hotspots,
  };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
