/** What the client needs to know about the configured basemap (none, a style, tiles or PMTiles). */
import path from 'node:path';
import type { Env } from './env';

export type BasemapCrs = 'wgs84' | 'gcj02';

export type Basemap =
  | { kind: 'none' }
  | { kind: 'style'; url: string; crs: BasemapCrs }
  | { kind: 'tiles'; tiles: string[]; crs: BasemapCrs; attribution: string; maxZoom: number }
  | { kind: 'pmtiles'; url: string; crs: BasemapCrs; attribution: string; maxZoom: number };

/** Where our server serves a configured PMTiles file (range requests, as PMTiles readers want). */
export const pmtilesRoute = (file: string) => `/basemap/${encodeURIComponent(path.basename(file))}`;

export function basemapOf(env: Partial<Env>): Basemap {
  // CGCS2000 differs from WGS84 by decimetres: the same thing on a map
  const crs: BasemapCrs = env.BASEMAP_CRS === 'gcj02' ? 'gcj02' : 'wgs84';
  const attribution = env.BASEMAP_ATTRIBUTION ?? '';
  const maxZoom = env.BASEMAP_MAX_ZOOM ?? 18;
  if (env.BASEMAP_STYLE_URL) return { kind: 'style', url: env.BASEMAP_STYLE_URL, crs };
  if (env.BASEMAP_TILES)
    return { kind: 'tiles', tiles: [env.BASEMAP_TILES], crs, attribution, maxZoom };
  if (env.BASEMAP_PMTILES)
    return { kind: 'pmtiles', url: pmtilesRoute(env.BASEMAP_PMTILES), crs, attribution, maxZoom };
  return { kind: 'none' };
}
