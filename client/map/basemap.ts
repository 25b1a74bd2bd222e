/**
 * The map's style for a configured basemap. With none, the map still looks finished: a dark
 * ground under our own layers, no tiles to break. GCJ-02 basemaps (AMap, Tencent) sit about
 * 170 m off WGS84 here: our layers are shifted onto them by one offset (see geo/gcj02Offset).
 */
import type { StyleSpecification } from 'maplibre-gl';
import { gcj02Offset } from '../../geo/gcj02Offset';
import type { Basemap } from '../../server/basemap';
import { MAP_COLOURS } from '../theme';

export const DISTRICT_CENTRE: [number, number] = [101.683, 36.694];

export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [
      { id: 'ground', type: 'background', paint: { 'background-color': MAP_COLOURS.ground } },
    ],
  };
}

/** A style object, or a style URL for MapLibre to load. */
export function basemapStyle(b: Basemap, origin = ''): StyleSpecification | string {
  if (b.kind === 'style') return b.url;
  const style = offlineStyle();
  if (b.kind === 'none') return style;
  style.sources.basemap =
    b.kind === 'tiles'
      ? {
          type: 'raster',
          tiles: b.tiles,
          tileSize: 256,
          maxzoom: b.maxZoom,
          attribution: b.attribution,
        }
      : {
          type: 'raster',
          url: `pmtiles://${origin}${b.url}`,
          tileSize: 256,
          attribution: b.attribution,
        };
  // dimmed, so our layers stay the thing to read
  style.layers.push({
    id: 'basemap',
    type: 'raster',
    source: 'basemap',
    paint: { 'raster-brightness-max': 0.55, 'raster-saturation': -0.4, 'raster-opacity': 0.9 },
  });
  return style;
}

/**
 * deck.gl's model matrix that moves WGS84 positions onto a GCJ-02 basemap (a translation in
 * degrees: for longitude/latitude layers deck.gl applies the model matrix before projecting),
 * or null when the basemap is in WGS84/CGCS2000.
 */
export function displayShift(b: Basemap): Float64Array | null {
  const offset = displayOffset(b);
  if (!offset) return null;
  const [dx, dy] = offset;
  return new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, dx, dy, 0, 1]);
}

/**
 * The offset in degrees [dLon, dLat] that puts WGS84 positions onto the basemap, or null when
 * none is needed: for MapLibre's own layers, which take no model matrix.
 */
export function displayOffset(b: Basemap): [number, number] | null {
  if (b.kind === 'none' || b.crs !== 'gcj02') return null;
  const [dx, dy] = gcj02Offset(DISTRICT_CENTRE);
  return [dx, dy];
}
