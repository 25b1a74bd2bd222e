/**
 * The CPU part of the hot-spot analysis (runs in the compute pool): every grid cell of the
 * district with its incident count (zero counts included, so that quiet places count as quiet),
 * then Getis-Ord Gi* within the band, the significant cells with their centres.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { areaBBox } from '../../geo/areaBBox';
import { getisOrdGiStar, type HotSpotClass } from '../../geo/getisOrdGiStar';
import { cellCentre, type HeatGrid } from '../../geo/heatGrid';
import { pointInArea } from '../../geo/pointInArea';

export interface HotSpotCell {
  lon: number;
  lat: number;
  count: number;
  z: number;
  p: number;
  class: HotSpotClass;
}

export interface GistarCellsInput {
  area: Polygon | MultiPolygon;
  grid: HeatGrid;
  /** the cells with incidents: column, row and count */
  gx: Int32Array;
  gy: Int32Array;
  n: Int32Array;
  bandCells: number;
  fdr: boolean;
}

export interface GistarCellsOutput {
  cells: number;
  byClass: Record<HotSpotClass, number>;
  /** the significant cells, highest z first */
  hotspots: HotSpotCell[];
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function gistarCells(input: GistarCellsInput): GistarCellsOutput {
  const { area, grid: g, gx, gy, n } = input;
  const cells = new Map<string, { i: number; j: number; count: number }>();
  const [w, s, e, nn] = areaBBox(area);
  const i0 = Math.floor((w - g.lon0) / g.dLon);
  const i1 = Math.floor((e - g.lon0) / g.dLon);
  const j0 = Math.floor((s - g.lat0) / g.dLat);
  const j1 = Math.floor((nn - g.lat0) / g.dLat);
  for (let i = i0; i <= i1; i++)
    for (let j = j0; j <= j1; j++) {
      const [lon, lat] = cellCentre(g, i, j);
      if (pointInArea(lon, lat, area)) cells.set(`${i},${j}`, { i, j, count: 0 });
    }
  for (let k = 0; k < n.length; k++)
    cells.set(`${gx[k]},${gy[k]}`, { i: gx[k]!, j: gy[k]!, count: n[k]! });

  const out = getisOrdGiStar([...cells.values()], { bandCells: input.bandCells, fdr: input.fdr });
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
  return { cells: out.length, byClass, hotspots };
}
