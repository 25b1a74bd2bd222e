/**
 * Analysis layers: camera blind spots (strongly outlined and dashed, so they read as "missing",
 * not as danger) and the "135" reach isochrones (1, 3, 5 minutes, white in three strengths).
 */
import { PathStyleExtension } from '@deck.gl/extensions';
import { GeoJsonLayer, PolygonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { HotSpots } from '../../server/services/gistar';
import type { RGBA } from '../theme';

type ReachFeature = Feature<Geometry, { minutes: number }>;

export const GAP_STYLE = { line: [236, 239, 241, 230] as RGBA, fill: [236, 239, 241, 28] as RGBA };

export function gapsLayer(fc: FeatureCollection, opts: { visible: boolean; opacity: number }) {
  return new GeoJsonLayer({
    id: 'coverage-gaps',
    data: fc,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    filled: true,
    getFillColor: GAP_STYLE.fill,
    stroked: true,
    getLineColor: GAP_STYLE.line,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    getDashArray: [3, 2],
    dashJustified: true,
    extensions: [new PathStyleExtension({ dash: true })],
  } as never);
}

export const REACH_STYLE: Record<number, { line: RGBA; fill: RGBA; width: number }> = {
  1: { line: [255, 255, 255, 255], fill: [255, 255, 255, 40], width: 2.5 },
  3: { line: [255, 255, 255, 190], fill: [255, 255, 255, 22], width: 2 },
  5: { line: [255, 255, 255, 120], fill: [255, 255, 255, 10], width: 1.5 },
};

const minutesOf = (f: ReachFeature) => f.properties.minutes;

export function reachLayer(
  fc: FeatureCollection<Geometry, { minutes: number }>,
  opts: { visible: boolean; opacity: number },
) {
  return new GeoJsonLayer({
    id: 'reach-isochrones',
    // largest first, so the smaller ones draw on top
    data: [...fc.features].sort((a, b) => minutesOf(b) - minutesOf(a)),
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    filled: true,
    getFillColor: (f: ReachFeature) => REACH_STYLE[minutesOf(f)]?.fill ?? [255, 255, 255, 10],
    stroked: true,
    getLineColor: (f: ReachFeature) => REACH_STYLE[minutesOf(f)]?.line ?? [255, 255, 255, 120],
    lineWidthUnits: 'pixels',
    getLineWidth: (f: ReachFeature) => REACH_STYLE[minutesOf(f)]?.width ?? 1,
  } as never);
}

/** Gi* classes: hot in magenta, cold in mint, stronger with confidence; clear of risk and heat. */
export const HOTSPOT_STYLE: Record<string, RGBA> = {
  hot99: [255, 79, 216, 190],
  hot95: [255, 79, 216, 120],
  hot90: [255, 79, 216, 60],
  cold99: [127, 227, 192, 170],
  cold95: [127, 227, 192, 105],
  cold90: [127, 227, 192, 50],
};

export type HotSpotCells = Pick<HotSpots, 'grid' | 'hotspots'>;

/** Each significant cell as its square on the grid, filled by class. */
export function hotspotsLayer(h: HotSpotCells, opts: { visible: boolean; opacity: number }) {
  const hx = h.grid.dLon / 2;
  const hy = h.grid.dLat / 2;
  return new PolygonLayer({
    id: 'hotspots',
    data: h.hotspots,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    filled: true,
    stroked: false,
    getPolygon: (c: HotSpotCells['hotspots'][number]) => [
      [c.lon - hx, c.lat - hy],
      [c.lon + hx, c.lat - hy],
      [c.lon + hx, c.lat + hy],
      [c.lon - hx, c.lat + hy],
    ],
    getFillColor: (c: HotSpotCells['hotspots'][number]) => HOTSPOT_STYLE[c.class] ?? [0, 0, 0, 0],
  });
}
