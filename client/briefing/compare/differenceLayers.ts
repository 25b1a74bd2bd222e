/** The difference map's layers: each community, or each grid cell, filled by its change in incidents. */
import { GeoJsonLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { Feature, Geometry } from 'geojson';
import { CHANGE_COLOURS, type RGBA } from '../../theme';
import type { CellChange } from './counts';

/**
 * The top of the colour scale for changes up to `largest` (either way): 1, 2 or 5 times a power
 * of ten, so the legend reads in round numbers.
 *
 * @example
 * scaleTop(37); // 50
 */
export function scaleTop(largest: number): number {
  const m = Math.max(1, Math.abs(largest));
  const p = 10 ** Math.floor(Math.log10(m));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= m)!;
}

/**
 * The colour of a change on a scale to ±top: orange for more, purple for fewer, more opaque the
 * larger the change; none for no change.
 */
export function changeColour(change: number, top: number): RGBA {
  if (change === 0 || !Number.isFinite(change)) return [0, 0, 0, 0];
  const t = Math.min(1, Math.abs(change) / top);
  const [r, g, b] = change > 0 ? CHANGE_COLOURS.more : CHANGE_COLOURS.fewer;
  return [r, g, b, Math.round(40 + 200 * Math.sqrt(t))];
}

/** The communities filled by their change (`change` by community id); drawn under their outlines. */
export function communityChangeLayer(
  features: Feature<Geometry, { id: number }>[],
  change: ReadonlyMap<number, number>,
  top: number,
) {
  return new GeoJsonLayer<{ id: number }>({
    id: 'community-change',
    data: features,
    filled: true,
    stroked: false,
    getFillColor: (f: Feature<Geometry, { id: number }>) =>
      changeColour(change.get(f.properties.id) ?? 0, top),
    updateTriggers: { getFillColor: [change, top] },
  });
}

/** The grid cells filled by their change. */
export function cellChangeLayer(cells: CellChange[], top: number) {
  return new SolidPolygonLayer<CellChange>({
    id: 'cell-change',
    data: cells,
    getPolygon: (c) => {
      const [w, s, e, n] = c.bounds;
      return [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ];
    },
    getFillColor: (c) => changeColour(c.change, top),
    updateTriggers: { getFillColor: top },
  });
}
