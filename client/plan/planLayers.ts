/**
 * The what-if geometries on the map: land in no draft zone, and land in more than one. Neither
 * uses a risk colour: "not covered" is a warm grey with a dashed edge, overlap a violet.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import { PathStyleExtension } from '@deck.gl/extensions';
import type { MultiPolygon } from 'geojson';
import type { RGBA } from '../theme';

export const PLAN_STYLE = {
  unpatrolled: { fill: [188, 170, 164, 70] as RGBA, line: [215, 204, 200, 220] as RGBA },
  overlap: { fill: [149, 117, 205, 90] as RGBA, line: [179, 157, 219, 255] as RGBA },
};

export interface PlanOverlays {
  unpatrolled: MultiPolygon | null;
  overlaps: MultiPolygon | null;
}

export function planLayers(o: PlanOverlays | null) {
  if (!o) return [];
  const feature = (g: MultiPolygon) => ({ type: 'Feature' as const, geometry: g, properties: {} });
  return [
    o.unpatrolled &&
      new GeoJsonLayer({
        id: 'plan-unpatrolled',
        data: [feature(o.unpatrolled)],
        filled: true,
        getFillColor: PLAN_STYLE.unpatrolled.fill,
        stroked: true,
        getLineColor: PLAN_STYLE.unpatrolled.line,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        getDashArray: [4, 3],
        dashJustified: true,
        extensions: [new PathStyleExtension({ dash: true })],
      } as never),
    o.overlaps &&
      new GeoJsonLayer({
        id: 'plan-overlaps',
        data: [feature(o.overlaps)],
        filled: true,
        getFillColor: PLAN_STYLE.overlap.fill,
        stroked: true,
        getLineColor: PLAN_STYLE.overlap.line,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
      }),
  ].filter((l): l is GeoJsonLayer => Boolean(l));
}
